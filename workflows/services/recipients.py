"""Recipients of an outgoing document, handled once.

Wherever recipients come from (the draft step, “Gửi văn bản đã ký”, the API through those
same forms, a service called from Python), they are `RecipientInput`s; people type the ones
outside the system one per line as “name; e-mail” (`recipient_lines_parse`), and every
recipient is held to the same rules (`recipient_rows`) before it is recorded.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..models import Document, Recipient


@dataclass(frozen=True)
class RecipientInput:
    """One “Kính gửi”/“Nơi nhận” line: an agency on the system or a named one with e-mail."""

    agency_id: int | None = None
    name: str = ""
    email: str = ""
    is_addressee: bool = True


def _email_valid(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def recipient_lines_parse(text: str, *, is_addressee: bool = True) -> list[RecipientInput]:
    """Recipients outside the system typed one per line as “name; e-mail”.

    The address may be left out (a line handed over on paper, “Lãnh đạo Ban”), and a line
    holding only an address is named by it. Raises ValidationError with one Vietnamese
    message per line whose address is not valid, naming the line.
    """
    recipients, errors = [], []
    for number, typed in enumerate(text.splitlines(), start=1):
        line = typed.strip()
        if not line:
            continue
        name, separator, email = (part.strip() for part in line.partition(";"))
        if not separator and "@" in line:
            name, email = "", line
        if email and not _email_valid(email):
            errors.append(ValidationError(
                _("Line %(number)d “%(line)s”: “%(email)s” is not a valid e-mail address "
                  "(write one recipient per line: name; e-mail)."),
                code="email", params={"number": number, "line": line, "email": email},
            ))
            continue
        recipients.append(
            RecipientInput(name=name or email, email=email, is_addressee=is_addressee)
        )
    if errors:
        raise ValidationError(errors)
    return recipients


def recipient_lines_format(recipients: Iterable[Recipient | RecipientInput]) -> str:
    """Recipients outside the system as a person types them, for a form to show again."""
    return "\n".join(f"{r.name}; {r.email}" if r.email else r.name for r in recipients)


def _refuse(message: str, code: str, **values) -> ValidationError:
    return ValidationError(message % values if values else message, code=code)


def recipient_rows(*, document: Document, recipients: Iterable[RecipientInput]) -> list[Recipient]:
    """The recipient rows of `document`, unsaved, once every recipient passes the rules.

    Raises ValidationError (Vietnamese) on the first rule broken: no recipient at all; an
    agency that is not on the system, or the document's own; a recipient outside the system
    without a name; an outside addressee without an e-mail address (it could not be
    delivered), or with one that is not valid.
    """
    from accounts.selectors import recipient_agency_list

    recipients = [replace(r, name=r.name.strip(), email=r.email.strip()) for r in recipients]
    if not recipients:
        raise _refuse(_("Choose at least one recipient for the document."), "no_recipients")
    known = set(recipient_agency_list().filter(
        pk__in=[r.agency_id for r in recipients if r.agency_id]
    ).values_list("pk", flat=True))
    for recipient in recipients:
        if recipient.agency_id == document.agency_id:
            raise _refuse(_("Your own agency cannot be a recipient."), "own_agency")
        if recipient.agency_id:
            if recipient.agency_id not in known:
                raise _refuse(_("A recipient agency is not on the system."), "unknown_agency")
        elif not recipient.name:
            raise _refuse(_("A recipient outside the system needs a name."), "recipient_name")
        elif recipient.email and not _email_valid(recipient.email):
            raise _refuse(
                _("The e-mail address of %(name)s is not valid: “%(email)s”."), "email",
                name=recipient.name, email=recipient.email,
            )
        elif recipient.is_addressee and not recipient.email:
            raise _refuse(
                _("A recipient outside the system needs an e-mail address: %(name)s."),
                "recipient_email", name=recipient.name,
            )
    return [
        Recipient(
            document=document, agency_id=r.agency_id, name=r.name, email=r.email,
            is_addressee=r.is_addressee,
        )
        for r in recipients
    ]
