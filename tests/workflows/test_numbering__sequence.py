"""Register numbers: one sequence per register per calendar year, confidential apart, no gaps."""

import pytest
from django.db import transaction

from workflows.models import (
    Direction,
    Document,
    DocumentType,
    Register,
    RegisterCounter,
    TimelineEntry,
)
from workflows.services.numbering import (
    NUMBER_SLOT,
    SlotRows,
    number_take,
    number_take_printing,
    register_for,
    slot_printed,
    slot_rows_written,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bdt(world):
    return world.agency("bdt-bac-giang")


def test_register_for_creates_once_with_the_vietnamese_name(bdt):
    first = register_for(agency=bdt, direction=Direction.OUTGOING)
    again = register_for(agency=bdt, direction=Direction.OUTGOING)
    assert first == again
    assert first.name == "Sổ văn bản đi"
    assert register_for(agency=bdt, direction=Direction.INCOMING).name == "Sổ văn bản đến"
    secret = register_for(agency=bdt, direction=Direction.OUTGOING, confidential=True)
    assert secret.name == "Sổ văn bản đi mật"
    assert Register.objects.filter(agency=bdt).count() == 3


def test_numbers_run_from_one_and_restart_on_the_first_of_january(bdt):
    register = register_for(agency=bdt, direction=Direction.OUTGOING)
    assert [number_take(register=register, year=2023) for _ in range(3)] == [1, 2, 3]
    assert number_take(register=register, year=2024) == 1
    assert number_take(register=register, year=2023) == 4
    assert RegisterCounter.objects.get(register=register, year=2024).last_number == 1


def test_confidential_documents_have_their_own_series(bdt):
    normal = register_for(agency=bdt, direction=Direction.OUTGOING)
    secret = register_for(agency=bdt, direction=Direction.OUTGOING, confidential=True)
    number_take(register=normal, year=2023)
    number_take(register=normal, year=2023)
    assert number_take(register=secret, year=2023) == 1


def test_each_agency_and_direction_counts_on_its_own(world, bdt):
    outgoing = register_for(agency=bdt, direction=Direction.OUTGOING)
    incoming = register_for(agency=bdt, direction=Direction.INCOMING)
    other = register_for(agency=world.agency("hu-luc-nam"), direction=Direction.OUTGOING)
    number_take(register=outgoing, year=2023)
    assert number_take(register=incoming, year=2023) == 1
    assert number_take(register=other, year=2023) == 1


def test_a_rolled_back_issue_gives_its_number_back(bdt):
    register = register_for(agency=bdt, direction=Direction.OUTGOING)
    number_take(register=register, year=2023)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_take(register=register, year=2023) == 2
        raise RuntimeError("the issue failed after taking the number")
    assert number_take(register=register, year=2023) == 2


@pytest.mark.parametrize(("last", "printed"), [(0, "01"), (9, "10"), (99, "100")])
def test_the_number_s_statement_prints_it_in_the_slot_as_the_notation_does(bdt, last, printed):
    register = register_for(agency=bdt, direction=Direction.OUTGOING)
    RegisterCounter.objects.create(register=register, year=2023, last_number=last)
    document = Document.objects.create(
        agency=bdt, direction=Direction.OUTGOING, document_type=DocumentType.objects.first(),
        summary="V/v thử",
    )
    entry = TimelineEntry.objects.create(
        document=document, action=TimelineEntry.Action.ISSUED, comment=f"{NUMBER_SLOT}/BDT"
    )
    number = number_take_printing(register=register, year=2023, rows=[
        SlotRows(TimelineEntry, "id", (entry.pk,), ("comment",)),
        SlotRows(Document, "id", (document.pk,), ("notation",), number_columns=("number",)),
    ])
    entry.refresh_from_db()
    document.refresh_from_db()
    assert number == last + 1 == document.number
    assert entry.comment == f"{printed}/BDT" == slot_printed(f"{NUMBER_SLOT}/BDT", number)
    assert document.notation == ""  # no slot in it: nothing to print


def test_a_slot_written_while_no_number_is_awaited_is_refused():
    with pytest.raises(RuntimeError):
        slot_rows_written(SlotRows(TimelineEntry, "id", (1,), ("comment",)))
