"""8 clerks issue 400 documents at once from one register: numbers 1..400, no duplicate, no gap.

Real threads, each with its own PostgreSQL connection, racing on the counter row lock.
SQLite serialises whole transactions, so there is nothing to race there.
"""

import threading

import pytest
from django.db import connection
from psycopg.pq import TransactionStatus

from workflows.models import Direction, Document, Recipient
from workflows.services.documents import outgoing_issue

from .documents_factory import approved_outgoing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks and concurrent connections",
    ),
]

ISSUERS = 8
DOCUMENTS = 400


def test_eight_concurrent_issuers_take_numbers_1_to_400_without_gap(world):
    template = approved_outgoing(world)
    others = Document.objects.bulk_create(
        Document(
            agency=template.agency, direction=Direction.OUTGOING, status=template.status,
            document_type=template.document_type, summary=f"{template.summary} ({n})",
            drafting_unit=template.drafting_unit, signer=template.signer,
            signer_name=template.signer_name, signer_title=template.signer_title,
        )
        for n in range(DOCUMENTS - 1)
    )
    Recipient.objects.bulk_create(
        Recipient(document=document, agency=world.agency("hu-luc-nam")) for document in others
    )
    documents = [*others, template]
    clerk_id = world.user("mai.ht").pk
    start = threading.Barrier(ISSUERS)
    errors = []

    def issuer(ids):
        try:
            from accounts.models import User

            clerk = User.objects.get(pk=clerk_id)
            start.wait()
            for pk in ids:
                outgoing_issue(document=Document.objects.get(pk=pk), clerk=clerk)
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    ids = [document.pk for document in documents]
    threads = [
        threading.Thread(target=issuer, args=(ids[i::ISSUERS],)) for i in range(ISSUERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    issued = Document.objects.filter(pk__in=ids)
    numbers = sorted(issued.values_list("register_number", flat=True))
    assert numbers == list(range(1, DOCUMENTS + 1))
    assert issued.values("notation").distinct().count() == DOCUMENTS
    assert set(issued.values_list("status", flat=True)) == {"issued"}


TAKERS = 16
TAKES = 50


def test_sixteen_takers_outside_a_transaction_each_commit_their_own_numbers(world):
    """`number_take` in autocommit: one statement per number, committed when it returns."""
    from workflows.models import RegisterCounter
    from workflows.services.numbering import number_take, register_for

    register = register_for(agency=world.agency("bdt-bac-giang"), direction=Direction.OUTGOING)
    start = threading.Barrier(TAKERS)
    taken, errors = [], []

    def taker():
        try:
            start.wait()
            for _ in range(TAKES):
                assert connection.get_autocommit() and not connection.in_atomic_block
                taken.append(number_take(register=register, year=2023))
                # Committed when it returns: no transaction left open on the connection.
                assert connection.connection.info.transaction_status == TransactionStatus.IDLE
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=taker) for _ in range(TAKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(taken) == list(range(1, TAKERS * TAKES + 1))
    assert RegisterCounter.objects.get(register=register, year=2023).last_number == TAKERS * TAKES
