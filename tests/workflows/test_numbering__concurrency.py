"""8 clerks issue 400 documents at once from one register: numbers 1..400, no duplicate, no gap.

Real threads, each with its own PostgreSQL connection, racing on the counter row lock.
SQLite serialises whole transactions, so there is nothing to race there.
"""

from functools import partial

import pytest
from django.db import connection, transaction
from psycopg.pq import TransactionStatus

from tests.threads import at_once, race_test_marks
from workflows.models import Direction, Document, Recipient
from workflows.services.documents import outgoing_issue

from .documents_factory import approved_outgoing

pytestmark = [pytest.mark.slow, *race_test_marks()]

ISSUERS = 8
DOCUMENTS = 400


def _approved(world, count: int) -> list[int]:
    """`count` approved documents of BDT for Huyện ủy Lục Nam; their ids."""
    template = approved_outgoing(world)
    others = Document.objects.bulk_create(
        Document(
            agency=template.agency, direction=Direction.OUTGOING, status=template.status,
            document_type=template.document_type, summary=f"{template.summary} ({n})",
            drafting_unit=template.drafting_unit, signer=template.signer,
            signer_name=template.signer_name, signer_title=template.signer_title,
        )
        for n in range(count - 1)
    )
    Recipient.objects.bulk_create(
        Recipient(document=document, agency=world.agency("hu-luc-nam")) for document in others
    )
    return [document.pk for document in [*others, template]]


def test_eight_concurrent_issuers_take_numbers_1_to_400_without_gap(world):
    ids = _approved(world, DOCUMENTS)
    clerk = world.user("mai.ht")

    def issuer(share):
        for pk in share:
            outgoing_issue(document=Document.objects.get(pk=pk), clerk=clerk)

    at_once(*(partial(issuer, ids[i::ISSUERS]) for i in range(ISSUERS)))
    issued = Document.objects.filter(pk__in=ids)
    numbers = sorted(issued.values_list("register_number", flat=True))
    assert numbers == list(range(1, DOCUMENTS + 1))
    assert issued.values("notation").distinct().count() == DOCUMENTS
    assert set(issued.values_list("status", flat=True)) == {"issued"}


DELIVERED = 80


def test_eight_issuers_delivering_as_the_step_does_number_1_to_80_and_every_copy_matches(world):
    """The clerk's step takes the number last, after the work that does not print it: the
    numbers still come 1..N once each, and every copy carries its original's notation."""
    ids = _approved(world, DELIVERED)
    clerk = world.user("mai.ht")

    def issuer(share):
        for pk in share:
            with transaction.atomic():
                outgoing_issue(document=Document.objects.get(pk=pk), clerk=clerk, deliver=True)

    at_once(*(partial(issuer, ids[i::ISSUERS]) for i in range(ISSUERS)))
    issued = Document.objects.filter(pk__in=ids)
    assert sorted(issued.values_list("register_number", flat=True)) == list(
        range(1, DELIVERED + 1)
    )
    copies = Document.objects.filter(source__in=ids)
    assert sorted(copies.values_list("notation", flat=True)) == sorted(
        issued.values_list("notation", flat=True)
    )
    assert all(
        copy.notation == copy.source.notation and copy.attachments.get().original_name
        == copy.source.attachments.get().original_name
        for copy in copies.select_related("source")
    )


TAKERS = 16
TAKES = 50


def test_sixteen_takers_outside_a_transaction_each_commit_their_own_numbers(world):
    """`number_take` in autocommit: one statement per number, committed when it returns."""
    from workflows.models import RegisterCounter
    from workflows.services.numbering import number_take, register_for

    register = register_for(agency=world.agency("bdt-bac-giang"), direction=Direction.OUTGOING)

    def taker():
        taken = []
        for _ in range(TAKES):
            assert connection.get_autocommit() and not connection.in_atomic_block
            taken.append(number_take(register=register, year=2023))
            # Committed when it returns: no transaction left open on the connection.
            assert connection.connection.info.transaction_status == TransactionStatus.IDLE
        return taken

    taken = [number for numbers in at_once(*[taker] * TAKERS) for number in numbers]

    assert sorted(taken) == list(range(1, TAKERS * TAKES + 1))
    assert RegisterCounter.objects.get(register=register, year=2023).last_number == TAKERS * TAKES
