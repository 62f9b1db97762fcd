"""Registers and numbers (Decree 30/2020/NĐ-CP Arts. 15 and 22).

Each agency keeps one register per direction, plus a separate one for confidential
documents; each register has one sequence per calendar year starting at 1. A number is
taken under a row lock on the register's counter in the caller's transaction, so concurrent
issuers never share a number and a rolled-back issue gives its number back (no gaps).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Agency, Unit, User

from ..models import Direction, Document, DocumentType, Register, RegisterCounter

REGISTER_NAMES = {
    (Direction.INCOMING, False): gettext_noop("Incoming documents register"),
    (Direction.OUTGOING, False): gettext_noop("Outgoing documents register"),
    (Direction.INCOMING, True): gettext_noop("Confidential incoming documents register"),
    (Direction.OUTGOING, True): gettext_noop("Confidential outgoing documents register"),
}


def register_for(*, agency: Agency, direction: str, confidential: bool = False) -> Register:
    """The agency's register for `direction` (confidential or not), created on first use.

    The name is stored in the site language (“Sổ văn bản đi”): it is the agency's record,
    not a label that follows the reader's language.
    """
    register = Register.objects.filter(
        agency=agency, direction=direction, is_confidential=confidential
    ).first()
    if register is not None:
        return register
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


def number_take(*, register: Register, year: int) -> int:
    """Take the next number of `register` in `year` and return it.

    Run it inside the transaction that stores the number on the document, as late as that
    transaction allows: the counter row stays locked until it ends, and a rollback returns
    the number, so the sequence has neither duplicates nor gaps (Decree 30 Art. 15). Called
    outside a transaction, the number is taken and committed by the one statement.
    """
    # One statement creates the year's row or bumps it, under the row lock PostgreSQL (and
    # SQLite's writer lock) takes for the update: no read-then-write for two issuers to race.
    # Every column is written as the model would save a new row, so that fields added to the
    # counter keep their defaults.
    first = RegisterCounter(register=register, year=year, last_number=1)
    fields = [field for field in RegisterCounter._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(RegisterCounter._meta.db_table)
    # No transaction of its own: in autocommit the statement is one round trip and the row
    # lock lasts only while the server commits it, not while a COMMIT travels back.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT ({quote('register_id')}, {quote('year')}) DO UPDATE "
            f"SET last_number = {table}.last_number + 1 RETURNING last_number",
            [field.get_db_prep_save(field.pre_save(first, True), connection) for field in fields],
        )
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
