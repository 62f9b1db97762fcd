"""Outgoing documents: files, issue with the next number, delivery to the recipients.

Issue and delivery follow Decree 30/2020/NĐ-CP: the clerk numbers an approved document from
the agency's register (Art. 15), the issued file is kept (Art. 18), and each recipient
agency on the system receives an incoming copy that starts its own IncomingFlow (Art. 20).
"""

import datetime
import zipfile
from collections.abc import Callable, Iterable
from copy import copy as shallow_copy

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import router, transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, Unit, User
from common.compiled import CompiledOnce
from notifications.services import Message, delay_after_commit, notify, notify_many

from .. import steps
from ..audit_trail import creations_recorded, update_recorded
from ..models import (
    DOCX,
    PDF,
    Attachment,
    Confidentiality,
    Direction,
    Document,
    DocumentType,
    Recipient,
    Register,
    SigningAuthority,
    TimelineEntry,
    Urgency,
)
from ..selectors import withdrawal_audience
from ..tasks import attachment_extract
from . import notices
from .files import file_stored, files_removed_on_failure
from .numbering import (
    NUMBER_SLOT,
    SlotRows,
    notation_build,
    notation_slotted,
    number_take,
    number_take_printing,
    register_for,
    slot_printed,
    slots_gathered,
)
from .recipients import RecipientInput, recipient_rows
from .rendering import UnnumberedDocx, document_render_docx_unnumbered
from .routing import incoming_start
from .timeline import TimelineBatch, timeline_add

CONTENT_TYPES = {".pdf": PDF, ".docx": DOCX}


# Files -------------------------------------------------------------------------------------


# The parts every WordprocessingML package has (ECMA-376 Part 2: content types, main part).
DOCX_PARTS = {"[Content_Types].xml", "word/document.xml"}


def _looks_like(uploaded_file, content_type: str) -> bool:
    """Whether the bytes match the type the extension claims (a renamed .exe is refused).

    A PDF starts with its header and ends with an end-of-file marker (a truncated upload
    has none); a DOCX is a zip holding the parts of a WordprocessingML package.
    """
    uploaded_file.seek(0)
    try:
        if content_type == PDF:
            if uploaded_file.read(5) != b"%PDF-":
                return False
            uploaded_file.seek(max(0, uploaded_file.size - 2048))
            return b"%%EOF" in uploaded_file.read()
        if not zipfile.is_zipfile(uploaded_file):
            return False
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            return set(archive.namelist()) >= DOCX_PARTS
    finally:
        uploaded_file.seek(0)


def attachment_validate(*, uploaded_file) -> str:
    """Check an upload is a real PDF or DOCX within the size limit; return its content type.

    Forms call it in `clean_<field>` so the user sees the message next to the field.
    """
    name = uploaded_file.name or ""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = CONTENT_TYPES.get(extension)
    if content_type is None:
        raise ValidationError(
            _("Only PDF or DOCX files are accepted; “%(name)s” is neither.") % {"name": name},
            code="file_type",
        )
    if not uploaded_file.size:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(uploaded_file.size),
               "limit": filesizeformat(limit)},
            code="file_size",
        )
    if not _looks_like(uploaded_file, content_type):
        raise ValidationError(
            _("The content of “%(name)s” is not a %(kind)s file; check the file and try again.")
            % {"name": name, "kind": extension[1:].upper()},
            code="file_content",
        )
    return content_type


def _attachment_new(
    *, document: Document, kind: str, name: str, content, content_type: str, user: User | None
) -> tuple[Attachment, File]:
    """A new attachment of `document` and its file's `content`, for `_attachments_store`."""
    return Attachment(
        document=document, kind=kind, original_name=name, content_type=content_type,
        size=content.size, uploaded_by=user,
    ), content


def _attachments_store(new: list[tuple[Attachment, File]]) -> list[Attachment]:
    """Store the files of `new` attachments (`_attachment_new`), then their rows in one
    INSERT; return the attachments."""
    for attachment, content in new:
        attachment.file.save(attachment.original_name, content, save=False)
        file_stored(attachment.file)
    attachments = Attachment.objects.bulk_create([attachment for attachment, _content in new])
    for attachment in attachments:
        text_extract_later(attachment_id=attachment.pk)
    return attachments


def text_extract_later(*, attachment_id: int) -> None:
    """After the current transaction commits, have a worker read the file's text (one call
    for the transaction's files: `notifications.services.delay_after_commit`).

    Broker errors are logged, not raised: the file is kept, and `manage.py search_reindex`
    reads every file again.
    """
    delay_after_commit(
        attachment_extract, [attachment_id], using=router.db_for_write(Attachment),
        catch_up="manage.py search_reindex reads every file again",
    )


def attachment_add(
    *, document: Document, uploaded_file, kind: str, user: User | None
) -> Attachment:
    """Attach a PDF or DOCX file to `document`; raise ValidationError (Vietnamese) otherwise.

    The file is checked before anything is written, and then written in one INSERT: no
    transaction (or savepoint, inside a step) of its own."""
    content_type = attachment_validate(uploaded_file=uploaded_file)
    return _attachments_store([_attachment_new(
        document=document, kind=kind, name=uploaded_file.name.rsplit("/", 1)[-1],
        content=File(uploaded_file), content_type=content_type, user=user,
    )])[0]


# Recipients --------------------------------------------------------------------------------


def recipient_add_all(
    *, document: Document, recipients: Iterable[Agency | RecipientInput]
) -> list[Recipient]:
    """Record the recipients of an outgoing document, held to the rules of `recipient_rows`;
    an Agency stands for itself as a recipient on the system."""
    inputs = [
        RecipientInput(agency_id=recipient.pk) if isinstance(recipient, Agency) else recipient
        for recipient in recipients
    ]
    return Recipient.objects.bulk_create(recipient_rows(document=document, recipients=inputs))


# Issue -------------------------------------------------------------------------------------


def _require_issue_permission(*, clerk: User, agency_id: int) -> None:
    # Services called from Python are not behind viewflow's permission checks. The check
    # needs the agency's key only; its name is read for the refusal.
    if not clerk.has_perm("accounts.issue_outgoing", Agency(pk=agency_id)):
        raise PermissionDenied(_("You may not issue documents of %(agency)s.") % {
            "agency": Agency.objects.get(pk=agency_id).name})


def _register_of(document: Document) -> Register:
    """The register `document` is numbered from: its agency's outgoing one (the confidential
    one for a confidential document)."""
    return register_for(
        agency=document.agency,
        direction=Direction.OUTGOING,
        confidential=document.confidentiality != Confidentiality.NORMAL,
    )


def _issue_dated(*, document: Document, register: Register, issued_on: datetime.date) -> None:
    """Set on `document` what its issue records besides the number: the register and its
    year, the moment, the date and place of issue, the status."""
    document.register = register
    document.register_year = issued_on.year
    document.registered_at = timezone.now()
    document.issued_on = issued_on
    document.place = document.place or document.agency.place_name
    document.status = Document.Status.ISSUED


def _number_print(*, document: Document, number: int) -> None:
    """Set `number` and the notation that prints it on `document` (not saved)."""
    document.register_number = number
    document.number = number
    document.notation = notation_build(
        number=number, document_type=document.document_type, agency=document.agency,
        drafting_unit=document.drafting_unit,
    )


def _number_assign(*, document: Document, clerk: User, issued_on=None) -> None:
    """Take the next number of the right register, print it on `document` and record the
    issue in its timeline (same transaction): for a document signed on paper, which has no
    render to wait for (`IssueInProgress` takes an issued one's number last).

    Dated the agency's local date at this moment: the server's clock, never a date a form
    sent; `issued_on` is a past date for the demo's documents only.
    """
    issued_on = issued_on or timezone.localdate()
    register = _register_of(document)
    _issue_dated(document=document, register=register, issued_on=issued_on)
    _number_print(document=document, number=number_take(register=register, year=issued_on.year))
    document.save()
    timeline_add(
        document=document, action=TimelineEntry.Action.ISSUED, actor=clerk,
        comment=document.notation,
    )


def _locked(document: Document, *, recipients: bool = False) -> Document:
    """The document re-read under a row lock: two clerks cannot issue it twice.

    With what issuing and delivering read (the request it answers and that request's
    source, for the recipients' copies; the drafter, told of the issue), and with
    `recipients` its recipients and their agencies (`Document.recipients_with_agencies`);
    only the document's own row is locked.
    """
    (locked,) = _LOCKED_STATEMENT.all(
        using=router.db_for_write(Document), document_pk=document.pk
    )
    if recipients:
        locked.recipients_read(_RECIPIENTS_STATEMENT.all(
            using=router.db_for_read(Recipient), document_pk=document.pk
        ))
    return locked


def _documents_locked(*, shape: tuple, document_pk: int) -> QuerySet:
    return Document.objects.select_for_update(of=("self",)).select_related(
        "agency", "document_type", "drafting_unit", "signer", "drafted_by",
        "responds_to__source",
    ).filter(pk=document_pk)


def _recipients_with_agencies(*, shape: tuple, document_pk: int) -> QuerySet:
    return Recipient.objects.select_related("agency").filter(document_id=document_pk)


# Compiled once: the clerk's issue reads them for every document.
_LOCKED_STATEMENT = CompiledOnce(_documents_locked)
_RECIPIENTS_STATEMENT = CompiledOnce(_recipients_with_agencies)


@transaction.atomic
def outgoing_issue(*, document: Document, clerk: User, deliver: bool = False) -> Document:
    """Issue an approved outgoing document (see `outgoing_issue_in_step`) in a transaction
    of its own, or a savepoint of the caller's, after checking that `clerk` may issue.

    With `deliver`, deliver it too, as the clerk's step does: the number is taken after
    everything else the delivery writes, the copies with the number's slot
    (`outgoing_deliver`)."""
    _require_issue_permission(clerk=clerk, agency_id=document.agency_id)
    if not deliver:
        return outgoing_issue_in_step(document=document, clerk=clerk)
    issue = outgoing_issue_prepare(document=document, clerk=clerk)
    outgoing_deliver(document=issue.document, locked=True)
    return issue.document


class IssueInProgress:
    """An issue checked and rendered, whose number is taken last (`number`).

    The register's counter row stays locked from the number's taking to the commit, and
    every issuer of the register waits for it. So the clerk's step writes first what does
    not print the number (the request's wait ended, the requests marked answered, the task
    done); then `number` writes what prints it with its slot (`numbering.NUMBER_SLOT`: the
    drafter's notice, the delivery's copies with their processes and notices, the
    timeline), takes the number and prints it in all of them in one statement
    (`numbering.number_take_printing`), and writes last only what needs the number itself:
    the files (whose bytes print it), the audit entries of the document's issue and of its
    copies, and the writes left for the number (`when_numbered`).
    """

    def __init__(
        self, *, document: Document, stored: Document, clerk: User, unnumbered: UnnumberedDocx
    ):
        self.document = document
        # The document's row as read under its lock, for the audit entry of its issue.
        self.stored = stored
        self.clerk = clerk
        self.unnumbered = unnumbered
        self.timeline = TimelineBatch()
        # The issued file's name and bytes, known once numbered (the copies carry them).
        self.file: tuple[str, bytes] | None = None
        # The recipients' copies written before the number (`number`'s `before`).
        self.copies: list[Document] = []
        # The writes that print the number, run once it is taken (`when_numbered`).
        self.numbered_writes: list[Callable[[], None]] = []
        document.issue_in_progress = self

    def number(self, *, before: Callable[[], None] = lambda: None) -> Document:
        """Write what prints the number with its slot (`before`: the delivery's), take the
        number and print it; return the issued document."""
        document, clerk = self.document, self.clerk
        register = _register_of(document)
        _issue_dated(document=document, register=register, issued_on=document.issued_on)
        document.notation = notation_slotted(document=document)
        with slots_gathered() as slotted:
            # The document's row and its copies' are written without their audit entries,
            # written from the rows as the number leaves them (`audit_trail`).
            with disable_auditlog():
                document.save()
                notices.document_issued(document=document, clerk=clerk)
                self.timeline.add(
                    document=document, action=TimelineEntry.Action.ISSUED, actor=clerk,
                    comment=document.notation,
                )
                before()
            entries = self.timeline.write()
            number = number_take_printing(
                register=register, year=document.issued_on.year, rows=[
                    *slotted,
                    SlotRows(TimelineEntry, "id", tuple(
                        entry.pk for entry in entries if NUMBER_SLOT in entry.comment
                    ), ("comment",)),
                    SlotRows(Document, "id", (document.pk,), ("notation", "search_head"),
                             number_columns=("number", "register_number")),
                    SlotRows(Document, "id", tuple(copy.pk for copy in self.copies),
                             ("notation", "search_head"), number_columns=("number",)),
                ],
            )
        self._numbered_in_memory(number)
        self.file = (
            f"{document.notation.replace('/', '-')}.docx", self.unnumbered.numbered(number)
        )
        _attachments_store([
            _attachment_new(
                document=document, kind=Attachment.Kind.ISSUED, name=self.file[0],
                content=ContentFile(self.file[1]), content_type=DOCX, user=clerk,
            ),
            *_copies_files(copies=self.copies, files=[(*self.file, DOCX)]),
        ])
        update_recorded(old=self.stored, new=document)
        creations_recorded(self.copies)
        document.issue_in_progress = None
        for write in self.numbered_writes:
            write()
        return document

    def _numbered_in_memory(self, number: int) -> None:
        """The document and its copies as the number's statement left their rows."""
        document = self.document
        _number_print(document=document, number=number)
        document.search_head = slot_printed(document.search_head, number)
        document.remember_record()
        for copy in self.copies:
            copy.number, copy.notation = document.number, document.notation
            copy.search_head = slot_printed(copy.search_head, number)


def outgoing_issue_prepare(*, document: Document, clerk: User) -> IssueInProgress:
    """Check and render an approved outgoing document for its issue, without its number.

    The document is read under its row lock (two clerks cannot issue it twice) and checked;
    its date of issue is the agency's local date at this moment, set by the server (no
    backdating: a page opened before midnight and sent after it issues on the new day); its
    DOCX is rendered with a slot for the number. A render error has then used no number.
    The caller checked that `clerk` may issue for the agency, and calls `number` on the
    result as late as its transaction allows.
    """
    document = _locked(document, recipients=True)
    stored = shallow_copy(document)
    if document.direction != Direction.OUTGOING:
        raise ValidationError(_("Only outgoing documents are issued."), code="direction")
    if document.status == Document.Status.ISSUED:
        raise ValidationError(
            _("This document was already issued as %(notation)s.")
            % {"notation": document.notation},
            code="already_issued",
        )
    if document.status != Document.Status.APPROVED:
        raise ValidationError(
            _("Only a document approved and signed by the leadership can be issued."),
            code="not_approved",
        )
    recipients = document.recipients_with_agencies()
    if not recipients:
        raise ValidationError(
            _("Choose at least one recipient for the document."), code="no_recipients"
        )
    if document.signer_id and not document.signer_name:
        document.signer_name = document.signer.get_full_name()
        document.signer_title = document.signer_title or document.signer.title
    if not document.signer_name:
        raise ValidationError(_("The document has no signer."), code="no_signer")
    document.issued_on = timezone.localdate()
    document.place = document.place or document.agency.place_name
    unnumbered = document_render_docx_unnumbered(document=document, recipients=recipients)
    return IssueInProgress(
        document=document, stored=stored, clerk=clerk, unnumbered=unnumbered
    )


def outgoing_issue_in_step(*, document: Document, clerk: User) -> Document:
    """Issue an approved outgoing document: number, date, rendered DOCX, status ISSUED.

    `outgoing_issue_prepare`, then the number from that year of the agency's outgoing
    register (the confidential one for a confidential document). Run it inside the
    caller's transaction, whose rollback on a failure leaves neither a number used nor a
    file recorded. Returns the issued document.
    """
    issue = outgoing_issue_prepare(document=document, clerk=clerk)
    return issue.number()


def can_withdraw(*, user: User, document: Document) -> bool:
    """Whether `user` may withdraw `document`: its agency's head (signer) or clerk (issuer)."""
    agency = Agency(pk=document.agency_id)
    return user.has_perm("accounts.issue_outgoing", agency) or user.has_perm(
        "accounts.sign_outgoing", agency
    )


def withdrawal_refusal(*, document: Document) -> ValidationError | None:
    """Why `document` cannot be withdrawn, in Vietnamese, or None when it can.

    Only an outgoing document that is issued is withdrawn, and only while no recipient has
    answered it: once a reply stands on it, withdrawing would leave that reply answering
    nothing. The document page offers the action exactly when this returns None.
    """
    if document.direction != Direction.OUTGOING or document.status != Document.Status.ISSUED:
        return ValidationError(_("Only an issued document can be withdrawn."), code="not_issued")
    if document.answered_at is not None:
        return ValidationError(
            _("Document %(notation)s was already answered: it can no longer be withdrawn.")
            % {"notation": document.notation},
            code="answered",
        )
    return None


def _withdrawal_tell(*, document: Document, reason: str) -> None:
    """Mark each recipient's copy withdrawn and tell its people, or e-mail the outside ones."""
    values = {
        "notation": document.notation,
        "agency": document.agency.name,
        "summary": document.summary,
        "reason": reason,
    }
    subject = _("Document %(notation)s of %(agency)s is withdrawn") % values
    text = _(
        "%(agency)s withdraws document %(notation)s (%(summary)s). Reason: %(reason)s\n"
        "Do not act on it any more."
    ) % values
    now = timezone.now()
    messages = []
    for recipient in document.recipients.select_related("delivered_copy"):
        copy = recipient.delivered_copy
        if copy is not None:
            copy.withdrawn_at = now
            copy.save(update_fields=["withdrawn_at", "updated_at"])
            timeline_add(
                document=copy, action=TimelineEntry.Action.WITHDRAWN,
                comment=_("Withdrawn by %(agency)s: %(reason)s") % values,
            )
            messages += [
                Message(
                    user=person, key=f"withdrawn:{copy.pk}", kind="withdrawn",
                    subject=subject, text=text, url=f"/documents/{copy.pk}/",
                    agency=copy.agency,
                )
                for person in withdrawal_audience(copy=copy)
            ]
        elif recipient.email and recipient.delivered_at:
            notify(
                key=f"withdrawn:{document.pk}:{recipient.pk}", kind="withdrawn",
                email=recipient.email, agency=document.agency, subject=subject, text=text,
            )
    notify_many(messages=messages)


@transaction.atomic
def outgoing_cancel(*, document: Document, clerk: User, reason: str) -> Document:
    """Withdraw (thu hồi) an issued document not yet answered (`withdrawal_refusal`): the
    head or the clerk, with a reason.

    Its number stays taken in the register and is never given again (Decree 30 Art. 15);
    the document is marked CANCELLED, every recipient's copy is marked withdrawn with the
    reason in its timeline, and the recipients' head, clerks and handlers (or the outside
    addressees, by e-mail) are told. Returns the withdrawn document.
    """
    if not can_withdraw(user=clerk, document=document):
        raise PermissionDenied(_("You may not withdraw documents of %(agency)s.") % {
            "agency": document.agency.name})
    document = _locked(document)
    refusal = withdrawal_refusal(document=document)
    if refusal is not None:
        raise refusal
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for withdrawing the document.")}, code="no_reason"
        )
    document.status = Document.Status.CANCELLED
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["status", "withdrawn_at", "updated_at"])
    timeline_add(
        document=document, action=TimelineEntry.Action.CANCELLED, actor=clerk, comment=reason,
    )
    _withdrawal_tell(document=document, reason=reason)
    return document


# Delivery ----------------------------------------------------------------------------------


def _incoming_copy(
    *, document: Document, recipient: Recipient, timeline: TimelineBatch
) -> Document:
    """The recipient agency's incoming copy of `document`, without its files
    (`_copies_files`); its entry is added to `timeline`."""
    request = document.responds_to
    # The reply points at the recipient's own request when it answers one.
    answered = request.source if request and request.source_id else None
    copy = Document.objects.create(
        agency=recipient.agency,
        direction=Direction.INCOMING,
        status=Document.Status.RECEIVED,
        document_type=document.document_type,
        number=document.number,
        notation=document.notation,
        issued_on=document.issued_on,
        place=document.place,
        summary=document.summary,
        body=document.body,
        urgency=document.urgency,
        confidentiality=document.confidentiality,
        sender_agency=document.agency,
        sender_name=document.agency.name,
        signer_name=document.signer_name,
        signer_title=document.signer_title,
        signing_authority=document.signing_authority,
        signed_at=document.signed_at,
        source=document,
        responds_to=answered if answered and answered.agency_id == recipient.agency_id
        else None,
    )
    timeline.add(
        document=copy, action=TimelineEntry.Action.RECEIVED,
        comment=f"{document.notation} – {document.agency.name}",
    )
    return copy


def _copies_files(
    *, copies: list[Document], files: list[tuple[str, bytes, str]]
) -> list[tuple[Attachment, File]]:
    """The issued `files` (name, bytes, content type) as each of `copies`' originals, for
    `_attachments_store`."""
    return [
        _attachment_new(
            document=copy, kind=Attachment.Kind.ORIGINAL, name=name,
            content=ContentFile(content), content_type=content_type, user=None,
        )
        for copy in copies
        for name, content, content_type in files
    ]


def _issued_files(*, document: Document) -> list[tuple[str, bytes, str]]:
    """The issued files of `document` as stored: name, bytes, content type."""
    files = []
    for original in document.attachments.filter(kind=Attachment.Kind.ISSUED):
        with original.file.open("rb") as handle:
            files.append((original.original_name, handle.read(), original.content_type))
    return files


def _request_mark_answered(*, document: Document, now, timeline: TimelineBatch) -> None:
    """Mark the request `document` answers, and the requester's original, as answered.

    Their timeline entries, which print `document`'s notation, are added to `timeline`
    and read the notation when it is written (it may not be numbered yet)."""
    request = document.responds_to
    request.status = Document.Status.ANSWERED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at", "updated_at"])
    timeline.add(
        document=request, action=TimelineEntry.Action.ANSWERED,
        comment=lambda: _("Answered by %(notation)s") % {"notation": document.notation},
    )
    original = request.source
    if original is not None:
        # The requesting agency sees its own outgoing request answered.
        original.answered_at = now
        original.save(update_fields=["answered_at", "updated_at"])
        timeline.add(
            document=original, action=TimelineEntry.Action.ANSWERED,
            comment=lambda: _("%(agency)s answered with %(notation)s")
            % {"agency": document.agency.name, "notation": document.notation},
        )


def _recipient_email(*, document: Document, recipient: Recipient) -> None:
    """E-mail the issued file to a recipient outside the system (sent after commit)."""
    issued = document.attachments.filter(kind=Attachment.Kind.ISSUED).first()
    values = {
        "notation": document.notation,
        "agency": document.agency.name,
        "summary": document.summary,
        "date": document.issued_on.strftime("%d/%m/%Y"),
    }
    notify(
        key=f"delivered:{recipient.pk}",
        kind="issued",
        email=recipient.email,
        agency=document.agency,
        subject=_("Document %(notation)s from %(agency)s") % values,
        text=_(
            "%(agency)s sends you document %(notation)s of %(date)s: %(summary)s\n\n"
            "The issued document is attached."
        ) % values,
        attachment=issued.file.name if issued else "",
        attachment_name=issued.original_name if issued else "",
    )


# Runs inside the issuing step or the paper send: no savepoint of its own.
@transaction.atomic(savepoint=False)
def outgoing_deliver(*, document: Document, locked: bool = False) -> list[Document]:
    """Deliver an issued document; return the incoming copies created.

    Each recipient agency on the system gets an incoming copy (status RECEIVED) and its
    IncomingFlow starts, so the document lands in that agency's clerks' queue. Recipients
    outside the system with an e-mail address get it by e-mail. The request the document
    answers is marked answered, and so is the requester's original. Recipients already
    delivered are skipped, so calling it again delivers only what is left.

    `locked`: `document` was read under its row lock, or created, in this transaction
    (the issue or the paper send that delivers it), so it is not read again.

    In the clerk's step the document's issue waits for its number (`IssueInProgress`): the
    requests are marked answered first; the copies and the rest at the end of the step,
    right before the commit (`steps.write_last`; the list returned fills then), the copies
    with the number's slot, printed when it is taken; the e-mails, which attach the issued
    file, after it.
    """
    if not locked:
        document = _locked(document)
    issue: IssueInProgress | None = getattr(document, "issue_in_progress", None)
    if issue is None and document.status != Document.Status.ISSUED:
        raise ValidationError(_("Only an issued document can be delivered."), code="not_issued")
    now = timezone.now()
    timeline = issue.timeline if issue is not None else TimelineBatch()
    if document.responds_to_id and document.responds_to.answered_at is None:
        _request_mark_answered(document=document, now=now, timeline=timeline)
    copies = []

    def delivered(recipient: Recipient) -> None:
        recipient.delivered_at = now
        recipient.save(update_fields=["delivered_at", "delivered_copy"])
        timeline.add(
            document=document, action=TimelineEntry.Action.DELIVERED, comment=str(recipient)
        )

    def deliver_on_the_system(pending: list[Recipient]) -> None:
        for recipient in pending:
            if recipient.agency_id:
                copy = _incoming_copy(document=document, recipient=recipient, timeline=timeline)
                recipient.delivered_copy = copy
                copies.append(copy)
                incoming_start(document=copy)
                notices.reply_received(copy=copy)
                delivered(recipient)

    def deliver() -> None:
        pending = [r for r in document.recipients_with_agencies() if r.delivered_at is None]
        if issue is not None:
            issue.copies = copies
            issue.number(before=lambda: deliver_on_the_system(pending))
        else:
            deliver_on_the_system(pending)
            if copies:
                _attachments_store(
                    _copies_files(copies=copies, files=_issued_files(document=document))
                )
        for recipient in pending:
            # A line like “Lãnh đạo Ban” is handed over on paper inside the agency.
            if not recipient.agency_id and recipient.email:
                _recipient_email(document=document, recipient=recipient)
                delivered(recipient)
        timeline.write()

    if issue is not None:
        # At the very end of the clerk's step, after the engine's work (the outgoing
        # process's end): `copies` fills then.
        steps.write_last(deliver)
    else:
        deliver()
    return copies


@files_removed_on_failure()
@transaction.atomic
def outgoing_send_signed(*, clerk: User, **document) -> Document:
    """Send a document signed on paper: record it, number it, attach the scan, deliver it.

    For a clerk whose agency signs outside the system (Huyện ủy Lục Nam's clerk sending
    Công văn 1719-CV/HU). `document` holds the fields `_signed_send` names; the signed scan
    (`file`) is the issued file. As in the issue step, the date of issue is the agency's
    local date when the number is taken, set by the server: the clerk writes that number
    and date on the paper (Decree 30 Art. 15), and nobody can pass another (`issued_on` is
    refused). Returns the issued document.
    """
    return _signed_send(clerk=clerk, issued_on=None, **document)


@files_removed_on_failure()
@transaction.atomic
def outgoing_send_signed_for_demo(*, issued_on: datetime.date, **document) -> Document:
    """`outgoing_send_signed` dated `issued_on`, numbered in that year's register.

    Only for loading the demo world's documents of past years (the seeds' 1719-CV/HU of
    15/11/2023, through `workflows.story`); no page, API or command a person uses reaches
    it, since the product never lets anyone choose the date of issue.
    """
    return _signed_send(issued_on=issued_on, **document)


def _signed_send(
    *,
    clerk: User,
    document_type: DocumentType,
    summary: str,
    recipients: Iterable[Agency | RecipientInput],
    signer_name: str,
    signer_title: str,
    signing_authority: str,
    file,
    drafting_unit: Unit | None = None,
    responds_to: Document | None = None,
    confidentiality: str = Confidentiality.NORMAL,
    urgency: str = Urgency.NORMAL,
    issued_on: datetime.date | None,
) -> Document:
    """The work of `outgoing_send_signed`, dated `issued_on` (None: when the number is taken)."""
    agency = clerk.agency
    if agency is None:
        raise PermissionDenied(_("You do not belong to an agency."))
    _require_issue_permission(clerk=clerk, agency_id=agency.pk)
    if not summary.strip():
        raise ValidationError(_("Enter the summary of the document."), code="no_summary")
    if not signer_name.strip():
        raise ValidationError(_("The document has no signer."), code="no_signer")
    if signing_authority not in SigningAuthority.values:
        raise ValidationError(_("Unknown signing authority."), code="authority")
    if responds_to is not None and (
        responds_to.agency_id != agency.pk or responds_to.direction != Direction.INCOMING
    ):
        raise ValidationError(
            _("A reply can only answer an incoming document of your agency."), code="responds_to"
        )
    if drafting_unit is not None and drafting_unit.agency_id != agency.pk:
        raise ValidationError(_("The drafting unit is not one of your agency's."), code="unit")
    attachment_validate(uploaded_file=file)
    document = Document.objects.create(
        agency=agency,
        direction=Direction.OUTGOING,
        status=Document.Status.APPROVED,
        document_type=document_type,
        summary=summary.strip(),
        urgency=urgency,
        confidentiality=confidentiality,
        sender_agency=agency,
        sender_name=agency.name,
        drafting_unit=drafting_unit,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        signing_authority=signing_authority,
        responds_to=responds_to,
        created_by=clerk,
    )
    recipient_add_all(document=document, recipients=recipients)
    timeline_add(
        document=document, action=TimelineEntry.Action.SIGNED,
        comment=f"{signer_title.strip()} {signer_name.strip()}".strip(),
    )
    attachment_add(document=document, uploaded_file=file, kind=Attachment.Kind.ISSUED, user=clerk)
    _number_assign(document=document, clerk=clerk, issued_on=issued_on)
    outgoing_deliver(document=document, locked=True)
    return document


@files_removed_on_failure()
@transaction.atomic
def incoming_receive(
    *,
    clerk: User,
    document_type: DocumentType,
    summary: str,
    notation: str,
    issued_on,
    file,
    sender_agency: Agency | None = None,
    sender_name: str = "",
    urgency: str = Urgency.NORMAL,
    confidentiality: str = Confidentiality.NORMAL,
) -> Document:
    """Record a document the agency received outside the system (paper, e-mail, edXML).

    Creates the incoming document with its scan and starts its IncomingFlow; the clerk's
    registration (số đến) is the flow's first step. Returns the received document.
    """
    agency = clerk.agency
    if agency is None or not clerk.has_perm("accounts.register_incoming", agency):
        raise PermissionDenied(_("You may not register incoming documents."))
    if not summary.strip():
        raise ValidationError(_("Enter the summary of the document."), code="no_summary")
    if sender_agency is None and not sender_name.strip():
        raise ValidationError(_("Say who sent the document."), code="no_sender")
    if issued_on > timezone.localdate():
        raise ValidationError(_("The document's date cannot be in the future."), code="date")
    attachment_validate(uploaded_file=file)
    notation = notation.strip()
    number = notation.split("/")[0].split("-")[0]
    document = Document.objects.create(
        agency=agency,
        direction=Direction.INCOMING,
        status=Document.Status.RECEIVED,
        document_type=document_type,
        number=int(number) if number.isdigit() else None,
        notation=notation,
        issued_on=issued_on,
        summary=summary.strip(),
        urgency=urgency,
        confidentiality=confidentiality,
        sender_agency=sender_agency,
        sender_name=sender_name.strip() or sender_agency.name,
        created_by=clerk,
    )
    attachment_add(
        document=document, uploaded_file=file, kind=Attachment.Kind.ORIGINAL, user=clerk
    )
    timeline_add(
        document=document, action=TimelineEntry.Action.RECEIVED, actor=clerk,
        comment=f"{notation} – {document.sender_name}".strip(" –"),
    )
    incoming_start(document=document)
    return document
