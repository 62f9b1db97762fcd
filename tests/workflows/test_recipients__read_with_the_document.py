"""A document's recipients are read once: those read with it (the document page's prefetch,
the issue's lock) serve `recipients_with_agencies` without another query."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from workflows.selectors import document_get_for
from workflows.services.documents import _locked

from .documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db


def _labels(recipients) -> list[tuple[str, str | None]]:
    return [(str(r), r.agency.name if r.agency_id else None) for r in recipients]


def test_the_recipients_read_with_the_document_are_not_read_again(world):
    document = approved_outgoing(world, recipients=("hu-luc-nam", "ubnd-bac-giang"))
    expected = _labels(document.recipients.select_related("agency").order_by("pk"))
    page = document_get_for(user=world.user("mai.ht"), pk=document.pk)
    with transaction.atomic():
        locked = _locked(document, recipients=True)

    for read in (page, locked):
        with CaptureQueriesContext(connection) as queries:
            recipients = _labels(read.recipients_with_agencies())
        assert recipients == expected
        assert len(queries) == 0
    assert len(expected) == 2
