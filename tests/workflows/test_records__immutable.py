"""An issued document is a record: nobody changes its number, date, signer or file.

Checked where a person could try: the admin's change page (read-only fields, a forged POST),
the model (a script calling save()), and the database itself (a raw UPDATE).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.forms import MultiWidget
from freezegun import freeze_time

from workflows.models import Attachment, Document
from workflows.services.documents import outgoing_issue
from workflows.services.search import attachment_text_extract

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db



@pytest.fixture
def issued(world, van_thu_bdt):
    document = approved_outgoing(world)
    with freeze_time("2023-12-05 09:00+07:00"):
        return outgoing_issue(document=document, clerk=van_thu_bdt)


@pytest.fixture
def admin_client(client, world):
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    return client


def _record(document):
    document = Document.objects.get(pk=document.pk)
    issued_file = document.attachments.get(kind=Attachment.Kind.ISSUED)
    return (
        document.status, document.register_id, document.register_year,
        document.register_number, document.number, document.notation, document.issued_on,
        document.signer_id, document.signer_name, issued_file.file.name, issued_file.size,
        document.attachments.count(),
    )


def _post_data(response) -> dict:
    """What the browser would post back from the admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            key, value, widget = form.add_prefix(name), form[name].value(), field.widget
            if isinstance(widget, MultiWidget):
                for suffix, part in zip(
                    widget.widgets_names, widget.decompress(value), strict=True
                ):
                    data[key + suffix] = "" if part is None else part
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            elif value is not None:
                data[key] = widget.format_value(value) or value
    return data


def test_admin_change_page_shows_the_record_read_only(admin_client, issued):
    response = admin_client.get(f"/admin/workflows/document/{issued.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name in ("notation", "number", "issued_on", "status", "signer", "signer_name",
                 "register_number"):
        assert name not in form.fields
        assert f'name="{name}"' not in response.content.decode()
    assert issued.notation in response.content.decode()
    attachments = next(
        inline for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Attachment
    )
    assert "file" not in attachments.formset.forms[0].fields
    assert not attachments.formset.can_delete


def test_forged_admin_post_changes_nothing_of_the_record(admin_client, issued):
    url = f"/admin/workflows/document/{issued.pk}/change/"
    before = _record(issued)
    data = _post_data(admin_client.get(url))
    data.update({
        "notation": "99/BDT-HCTH", "number": "99", "issued_on": "01/01/2023",
        "status": "draft", "signer_name": "Người khác", "register_number": "99",
        "summary": "Trích yếu được sửa",
    })
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert _record(issued) == before
    # What is not a record still changes through the admin.
    assert Document.objects.get(pk=issued.pk).summary == "Trích yếu được sửa"


def test_admin_cannot_delete_an_issued_document(admin_client, issued):
    response = admin_client.post(
        f"/admin/workflows/document/{issued.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Document.objects.filter(pk=issued.pk).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("notation", "99/BDT-HCTH"), ("number", 99), ("issued_on", datetime.date(2023, 1, 1)),
     ("register_number", 7), ("register_year", 2022), ("signer_name", "Người khác")],
)
def test_model_refuses_to_save_a_changed_record(issued, field, value):
    document = Document.objects.get(pk=issued.pk)
    setattr(document, field, value)
    with pytest.raises(ValidationError) as refused:
        document.save()
    assert refused.value.code == "record"
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert field in error.value.message_dict
    assert getattr(Document.objects.get(pk=issued.pk), field) != value


def test_model_refuses_to_change_or_delete_the_issued_file(issued):
    issued_file = issued.attachments.get(kind=Attachment.Kind.ISSUED)
    issued_file.original_name = "khac.docx"
    with pytest.raises(ValidationError):
        issued_file.save()
    with pytest.raises(ValidationError):
        issued_file.delete()
    assert Attachment.objects.get(pk=issued_file.pk).original_name != "khac.docx"


def test_unnumbered_document_and_its_other_fields_stay_editable(world, issued):
    draft = approved_outgoing(world)
    draft.notation = "tạm"
    draft.save()
    document = Document.objects.get(pk=issued.pk)
    document.summary = "Trích yếu mới"
    document.save()
    assert Document.objects.get(pk=issued.pk).summary == "Trích yếu mới"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE workflows_document SET notation = '99/BDT-HCTH' WHERE id = %s",
        "UPDATE workflows_document SET issued_on = '2023-01-01' WHERE id = %s",
        "UPDATE workflows_document SET register_number = 99 WHERE id = %s",
        "UPDATE workflows_document SET signer_id = NULL WHERE id = %s",
        "UPDATE workflows_attachment SET file = 'x.docx' WHERE document_id = %s"
        " AND kind = 'issued'",
    ],
)
def test_database_refuses_a_raw_update_of_the_record(issued, statement):
    before = _record(issued)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [issued.pk])
    assert _record(issued) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="delete guard is PostgreSQL's")
def test_database_refuses_a_raw_delete_of_an_issued_document(issued):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_attachment WHERE document_id = %s", [issued.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_document WHERE id = %s", [issued.pk])
    assert Document.objects.filter(pk=issued.pk).exists()


def test_database_lets_a_raw_update_change_what_is_not_a_record(issued):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflows_document SET summary = 'Khác', status = 'cancelled' WHERE id = %s",
            [issued.pk],
        )
    assert Document.objects.get(pk=issued.pk).summary == "Khác"


def test_the_issued_file_s_text_is_still_extracted_for_search(issued):
    """The search reads the issued DOCX after issuing: its text is derived data, not the
    record, so the model and the database let the extraction write it."""
    issued_file = issued.attachments.get(kind=Attachment.Kind.ISSUED)
    attachment_text_extract(attachment_id=issued_file.pk)
    assert "V/v" in Attachment.objects.get(pk=issued_file.pk).text
    assert issued.summary.split()[-1].lower() in Document.objects.get(pk=issued.pk).search_files
    issued_file.refresh_from_db()
    issued_file.original_name = "khac.docx"
    with pytest.raises(ValidationError):
        issued_file.save(update_fields=["text", "original_name"])
