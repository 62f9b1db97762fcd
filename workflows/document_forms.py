"""Forms of the documents application: register filters and “send a signed document”."""


from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from viewflow.forms import Layout, Row

from accounts.selectors import recipient_agency_list, unit_list_for

from .forms import IssueDateField, RecipientsForm
from .models import (
    Confidentiality,
    Direction,
    Document,
    DocumentType,
    SigningAuthority,
    Urgency,
)
from .selectors import document_list_for
from .services.documents import attachment_validate
from .widgets import DatePickerInput

SEARCH_HELP = _(
    "Number and symbol, summary, sender, content or the text of the files; "
    "case and diacritics do not matter."
)


class DocumentSearchForm(forms.Form):
    """The search box and filters above “All documents”."""

    q = forms.CharField(label=_("Search"), required=False, help_text=SEARCH_HELP)
    direction = forms.ChoiceField(
        label=_("Incoming or outgoing"), required=False,
        choices=[("", _("All")), *Direction.choices],
    )
    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True),
        required=False, empty_label=_("All types"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All statuses")), *Document.Status.choices],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePickerInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePickerInput)

    layout = Layout(
        Row("q"), Row("direction", "document_type", "status"), Row("date_from", "date_to")
    )

    def filters(self) -> dict:
        """Keyword arguments for `document_search_for` (none when the form is invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("document_type")
        return {
            "text": data.get("q", ""),
            "direction": data.get("direction") or None,
            "document_type": chosen.pk if chosen else None,
            "status": data.get("status", ""),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class RegisterFilterForm(forms.Form):
    """The filters above a register: year, type, text, urgency, date range."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True),
        required=False, empty_label=_("All types"),
    )
    text = forms.CharField(label=_("Search"), required=False, help_text=SEARCH_HELP)
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False,
        choices=[("", _("All urgencies")), *Urgency.choices],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePickerInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePickerInput)

    layout = Layout(Row("year", "document_type", "urgency"), Row("text", "date_from", "date_to"))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = sorted(set(years) | {this_year}, reverse=True)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = this_year

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for `register_entries_for` (defaults when the form is invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("document_type")
        return {
            "year": data.get("year") or self.fields["year"].initial,
            "document_types": [chosen.pk] if chosen else [],
            "text": data.get("text", ""),
            "urgency": data.get("urgency", ""),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class SendSignedForm(RecipientsForm):
    """A clerk records and sends a document signed on paper (the scan is the issued file)."""

    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True)
    )
    summary = forms.CharField(
        label=pgettext_lazy("document", "Summary"), max_length=500, widget=forms.Textarea
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=100)
    signing_authority = forms.ChoiceField(
        label=_("Signing authority"), choices=SigningAuthority.choices, required=False
    )
    issued_on = IssueDateField()
    drafting_unit = forms.ModelChoiceField(
        label=_("Drafting unit"), required=False, queryset=None
    )
    responds_to = forms.ModelChoiceField(
        label=_("Answers the incoming document"), required=False, queryset=None
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices,
        initial=Confidentiality.NORMAL,
    )
    file = forms.FileField(label=_("Signed document (PDF or DOCX)"))

    layout = Layout(
        Row("document_type", "issued_on"),
        "summary",
        Row("signer_name", "signer_title", "signing_authority"),
        "recipient_agencies",
        Row("other_recipients", "copy_lines"),
        Row("drafting_unit", "responds_to"),
        Row("urgency", "confidentiality"),
        "file",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["drafting_unit"].queryset = unit_list_for(user=user)
        # Most documents a clerk sends are công văn of their own unit.
        self.fields["drafting_unit"].initial = user.unit_id
        self.fields["document_type"].initial = (
            DocumentType.objects.filter(code="cong-van", is_active=True)
            .values_list("pk", flat=True)
            .first()
        )
        self.fields["responds_to"].queryset = document_list_for(
            user=user, direction=Direction.INCOMING
        ).filter(answered_at__isnull=True).order_by("-pk")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        attachment_validate(uploaded_file=uploaded)
        return uploaded

    def signed_document(self) -> dict:
        """The answers as `outgoing_send_signed` takes them (the page and the API send them)."""
        data = {
            name: value for name, value in self.cleaned_data.items()
            if name not in ("recipient_agencies", "other_recipients", "copy_lines", "issued_on")
        }
        return {**data, "recipients": self.recipients()}


class ReceiveForm(forms.Form):
    """A clerk records a document received on paper or by e-mail, with its scan."""

    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True)
    )
    notation = forms.CharField(label=_("Number and symbol"), max_length=100)
    issued_on = forms.DateField(label=_("Date of the document"), widget=DatePickerInput)
    summary = forms.CharField(
        label=pgettext_lazy("document", "Summary"), max_length=500, widget=forms.Textarea
    )
    sender_agency = forms.ModelChoiceField(
        label=_("Sender agency on the system"), required=False, queryset=None
    )
    sender_name = forms.CharField(label=_("Other sender"), max_length=255, required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices,
        initial=Confidentiality.NORMAL,
    )
    file = forms.FileField(label=_("Scan of the document (PDF or DOCX)"))

    layout = Layout(
        Row("document_type", "notation", "issued_on"),
        "summary",
        Row("sender_agency", "sender_name"),
        Row("urgency", "confidentiality"),
        "file",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_agency"].queryset = recipient_agency_list().exclude(
            pk=user.agency_id
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        attachment_validate(uploaded_file=uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sender_agency") and not cleaned.get("sender_name", "").strip():
            self.add_error("sender_name", _("Say who sent the document."))
        return cleaned


class NewDraftForm(forms.Form):
    """A unit member starts a new outgoing document; the rest is filled in the draft step."""

    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True)
    )
    summary = forms.CharField(
        label=pgettext_lazy("document", "Summary"), max_length=500, widget=forms.Textarea
    )
