"""Registers and numbers (Decree 30/2020/NĐ-CP Arts. 15 and 22).

Each agency keeps one register per direction, plus a separate one for confidential
documents; each register has one sequence per calendar year starting at 1. A number is
taken under a row lock on the register's counter in the caller's transaction, so concurrent
issuers never share a number and a rolled-back issue gives its number back (no gaps).
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Agency, Unit, User
from common.compiled import CompiledOnce

from ..models import Direction, Document, DocumentType, Register, RegisterCounter

REGISTER_NAMES = {
    (Direction.INCOMING, False): gettext_noop("Incoming documents register"),
    (Direction.OUTGOING, False): gettext_noop("Outgoing documents register"),
    (Direction.INCOMING, True): gettext_noop("Confidential incoming documents register"),
    (Direction.OUTGOING, True): gettext_noop("Confidential outgoing documents register"),
}


def _registers(*, shape: tuple[bool], agency: int, direction: str):
    (confidential,) = shape
    # One register at most (`register_unique`): no order, which would join the agency.
    return Register.objects.filter(
        agency_id=agency, direction=direction, is_confidential=confidential
    ).order_by()


# Looked up before every number: compiled once (`CompiledOnce`).
_REGISTER_STATEMENT = CompiledOnce(_registers)


def register_for(*, agency: Agency, direction: str, confidential: bool = False) -> Register:
    """The agency's register for `direction` (confidential or not), created on first use.

    The name is stored in the site language (“Sổ văn bản đi”): it is the agency's record,
    not a label that follows the reader's language.
    """
    found = _REGISTER_STATEMENT.all(
        using=router.db_for_read(Register), shape=(bool(confidential),),
        agency=agency.pk, direction=str(direction),
    )
    if found:
        return found[0]
    with translation.override(settings.LANGUAGE_CODE):
        name = _(REGISTER_NAMES[(Direction(direction), confidential)])
    # get_or_create retries the read when a concurrent caller created it first.
    register, _created = Register.objects.get_or_create(
        agency=agency,
        direction=direction,
        is_confidential=confidential,
        defaults={"name": name},
    )
    return register


def _take_sql(*, register: Register, year: int) -> tuple[str, list]:
    """The statement that takes the next number of `register` in `year`, returning it.

    One statement creates the year's row or bumps it, under the row lock PostgreSQL (and
    SQLite's writer lock) takes for the update: no read-then-write for two issuers to race.
    Every column is written as the model would save a new row, so that fields added to the
    counter keep their defaults.
    """
    first = RegisterCounter(register=register, year=year, last_number=1)
    fields = [field for field in RegisterCounter._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(RegisterCounter._meta.db_table)
    return (
        f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote('register_id')}, {quote('year')}) DO UPDATE "
        f"SET last_number = {table}.last_number + 1 RETURNING last_number",
        [field.get_db_prep_save(field.pre_save(first, True), connection) for field in fields],
    )


def number_take(*, register: Register, year: int) -> int:
    """Take the next number of `register` in `year` and return it.

    Run it inside the transaction that stores the number on the document, as late as that
    transaction allows: the counter row stays locked until it ends, and a rollback returns
    the number, so the sequence has neither duplicates nor gaps (Decree 30 Art. 15). Called
    outside a transaction, the number is taken and committed by the one statement.
    """
    sql, params = _take_sql(register=register, year=year)
    # No transaction of its own: in autocommit the statement is one round trip and the row
    # lock lasts only while the server commits it, not while a COMMIT travels back.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


# Where a number goes in what is written before it is taken: lower-case ASCII letters, so
# that neither escaping (XML, JSON) nor the search's normalising (`Document.search_head`)
# changes it; docxtpl writes a context value into one run.
NUMBER_SLOT = "lienthongnumberslot"


@dataclass(frozen=True)
class SlotRows:
    """Rows written before their number was taken, printing `NUMBER_SLOT` where it goes:
    those of `model` whose `lookup` column holds one of `values`. Each of `columns` (text or
    JSON) gets the printed number in the slot; each of `number_columns` the number itself."""

    model: type
    lookup: str
    values: tuple
    columns: tuple[str, ...]
    number_columns: tuple[str, ...] = ()

    def update_sql(self, *, number: int | None) -> tuple[str, list]:
        """The UPDATE that prints the number in these rows: `number` given (a statement of
        its own), or read from the `printed` query of `number_take_printing` (None)."""
        meta = self.model._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        printed = "%s" if number is not None else "printed.slot_text"
        assignments, params = [], []
        for name in self.columns:
            field = meta.get_field(name)
            column = f"{table}.{quote(field.column)}"
            if field.get_internal_type() == "JSONField" and connection.vendor == "postgresql":
                assignments.append(
                    f"{quote(field.column)} = replace({column}::text, %s, {printed})::jsonb"
                )
            else:
                assignments.append(f"{quote(field.column)} = replace({column}, %s, {printed})")
            params += [NUMBER_SLOT] if number is None else [NUMBER_SLOT, number_format(number)]
        for name in self.number_columns:
            target = quote(meta.get_field(name).column)
            if number is None:
                assignments.append(f"{target} = printed.slot_number")
            else:
                assignments.append(f"{target} = %s")
                params.append(number)
        lookup = f"{table}.{quote(meta.get_field(self.lookup).column)}"
        if number is None:
            return (
                f"UPDATE {table} SET {', '.join(assignments)} FROM printed "
                f"WHERE {lookup} = ANY(%s)",
                [*params, list(self.values)],
            )
        return (
            f"UPDATE {table} SET {', '.join(assignments)} "
            f"WHERE {lookup} IN ({', '.join(['%s'] * len(self.values))})",
            [*params, *self.values],
        )


def slot_printed(text: str, number: int) -> str:
    """`text` with `number` printed in its slot, as `number_take_printing` prints it in rows."""
    return text.replace(NUMBER_SLOT, number_format(number))


class _Slots(threading.local):
    # The rows written with the slot in this thread while a number is awaited, or None.
    rows: list[SlotRows] | None = None


_slots = _Slots()


@contextmanager
def slots_gathered() -> Iterator[list[SlotRows]]:
    """Gather, in the list it gives, the rows written with `NUMBER_SLOT` inside the block
    (`slot_rows_written`) for `number_take_printing`."""
    if _slots.rows is not None:
        raise RuntimeError("one number awaited at a time")
    _slots.rows = []
    try:
        yield _slots.rows
    finally:
        _slots.rows = None


def slot_rows_written(rows: SlotRows) -> None:
    """Record rows just written with `NUMBER_SLOT`, to be printed with the number awaited
    (`slots_gathered`); a slot written with no number awaited would stay: refused."""
    if _slots.rows is None:
        raise RuntimeError(f"{rows.model.__name__} rows print a number nobody is taking")
    _slots.rows.append(rows)


def number_take_printing(*, register: Register, year: int, rows: list[SlotRows]) -> int:
    """Take the next number of `register` in `year` (as `number_take`) and print it in the
    `rows` written before with its slot; return it.

    On PostgreSQL one statement does both (the number's upsert and the rows' UPDATEs as
    data-modifying parts of one WITH query): the counter row is locked by a single round
    trip, then for whatever the caller's transaction still writes. Elsewhere (SQLite, which
    has one writer anyway) the number is taken, then each kind of rows updated in turn.
    """
    # One UPDATE per kind of rows (the notices of an issue: one for all their keys).
    kinds: dict[tuple, list] = {}
    for slot_rows in rows:
        kind = (slot_rows.model, slot_rows.lookup, slot_rows.columns, slot_rows.number_columns)
        kinds.setdefault(kind, []).extend(slot_rows.values)
    rows = [SlotRows(*kind[:2], tuple(values), *kind[2:]) for kind, values in kinds.items()
            if values]
    take, params = _take_sql(register=register, year=year)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(take, params)
            number = cursor.fetchone()[0]
            for slot_rows in rows:
                cursor.execute(*slot_rows.update_sql(number=number))
            return number
        parts = [
            f"taken AS ({take})",
            "printed AS (SELECT last_number AS slot_number, CASE WHEN last_number < 10 "
            "THEN '0' || last_number::text ELSE last_number::text END AS slot_text FROM taken)",
        ]
        for position, slot_rows in enumerate(rows):
            update, update_params = slot_rows.update_sql(number=None)
            parts.append(f"printed_{position} AS ({update})")
            params = [*params, *update_params]
        cursor.execute(f"WITH {', '.join(parts)} SELECT slot_number FROM printed", params)
        return cursor.fetchone()[0]


def when_numbered(document: Document, write: Callable[[], None]) -> None:
    """Run `write`, which prints `document`'s number, once the document has it.

    At once, unless the document's issue waits for its number in this step
    (`documents.IssueInProgress`): then right after the number is taken.
    """
    issue = getattr(document, "issue_in_progress", None)
    if issue is None:
        write()
    else:
        issue.numbered_writes.append(write)


# What a draft shows where the clerk's number will go (“Số:       /BDT-HCTH”).
BLANK_NUMBER = "\u00a0" * 7


def number_format(number: int | None) -> str:
    """The number as printed: below 10 with a leading zero (Decree 30 Art. 15); blank for
    a draft not numbered yet."""
    return BLANK_NUMBER if number is None else f"{number:02d}"


@transaction.atomic
def register_start_set(
    *, register: Register, year: int, first_number: int, user: User, reason: str
) -> RegisterCounter:
    """Start `register`'s `year` at `first_number` (an agency joining the system mid-year).

    Allowed only while no number of that year is taken, so the register never skips or
    repeats a number it has given; the counter row keeps who set it, when and why.
    Returns the year's counter.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the starting number.")}, code="no_reason"
        )
    if first_number < 1:
        raise ValidationError(
            {"first_number": _("The starting number must be 1 or more.")}, code="first_number"
        )
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(register=register, year=year)], ignore_conflicts=True
    )
    # The same row lock as number_take: no issuer can take a number while we look.
    counter = RegisterCounter.objects.select_for_update().get(register=register, year=year)
    taken = Document.objects.filter(register=register, register_year=year).exists()
    if taken or counter.last_number != (counter.first_number or 1) - 1:
        raise ValidationError(
            _("Register “%(register)s” has already given a number in %(year)s; its starting "
              "number can no longer be set.") % {"register": register.name, "year": year},
            code="numbers_taken",
        )
    counter.first_number = first_number
    counter.last_number = first_number - 1
    counter.start_set_by = user
    counter.start_set_at = timezone.now()
    counter.start_reason = reason
    counter.save()
    return counter


def notation_build(
    *,
    number: int | None,
    document_type: DocumentType,
    agency: Agency,
    drafting_unit: Unit | None = None,
) -> str:
    """The number and symbol (số, ký hiệu) printed on a document.

    - State công văn (no type abbreviation): ``12/BDT-HCTH`` (agency, drafting unit).
    - Other state types: ``323/BC-BDT`` (type, agency).
    - Party bodies: ``1719-CV/HU``, ``90-KH/BDVTU`` (number-type / agency).
    """
    printed = number_format(number)
    if agency.is_party:
        abbreviation = document_type.party_abbreviation or document_type.abbreviation
        return f"{printed}-{abbreviation}/{agency.symbol}"
    if document_type.abbreviation:
        return f"{printed}/{document_type.abbreviation}-{agency.symbol}"
    if drafting_unit is not None:
        return f"{printed}/{agency.symbol}-{drafting_unit.symbol}"
    return f"{printed}/{agency.symbol}"


def notation_slotted(*, document: Document) -> str:
    """`document`'s notation with `NUMBER_SLOT` where its number will be printed."""
    return notation_build(
        number=None, document_type=document.document_type, agency=document.agency,
        drafting_unit=document.drafting_unit,
    ).replace(BLANK_NUMBER, NUMBER_SLOT, 1)
