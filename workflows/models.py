"""Documents, registers and the records of their handling (Decree 30/2020/NĐ-CP).

A request travels as two kinds of Document: the incoming copy an agency registers, and the
outgoing reply it drafts, approves and issues. Numbers come from per-agency Registers, one
sequence per calendar year. The viewflow processes that move documents along are
DocumentProcess rows pointing at the Document.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from accounts.models import Agency, Unit

from .audit_trail import TrailedUpdate
from .normalise import search_normalise


class DocumentType(models.Model):
    """A document type with its Appendix III abbreviation (công văn has none)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=10, blank=True,
        help_text=_("Appendix III, e.g. BC, KH, QĐ; empty for công văn."),
    )
    party_abbreviation = models.CharField(
        _("abbreviation for Party bodies"), max_length=10, blank=True,
        help_text=_("Party bodies write công văn as CV (1719-CV/HU); empty means the same."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")


class Register(models.Model):
    """A register (sổ văn bản đến / đi) of one agency; numbers restart every 1 January.

    Confidential documents have their own register (Decree 30 Art. 15).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="registers"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["agency__name", "direction", "is_confidential"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "direction", "is_confidential"], name="register_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.agency.symbol}"


class RegisterCounter(models.Model):
    """The last number taken in a register for one year; locked row-wise when numbering."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)
    # An agency joining mid-year continues its paper register: who set the start, and why.
    first_number = models.PositiveIntegerField(_("starting number"), null=True, blank=True)
    start_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("starting number set by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )
    start_set_at = models.DateTimeField(_("starting number set at"), null=True, blank=True)
    start_reason = models.TextField(_("reason for the starting number"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="register_counter_unique"),
        ]

    def __str__(self):
        return f"{self.register} {self.year}: {self.last_number}"


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")
    FLASH = "flash", _("Flash")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Normal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")
    TOP_SECRET = "top_secret", _("Top secret")


class SigningAuthority(models.TextChoices):
    """Decree 30 Art. 13: how the signer signs."""

    IN_PERSON = "", _("In person")
    ON_BEHALF_OF_HEAD = "KT", _("KT. (for the head)")
    ON_BEHALF_OF_COLLECTIVE = "TM", _("TM. (for the collective)")
    BY_ORDER = "TL", _("TL. (by order)")
    BY_AUTHORISATION = "TUQ", _("TUQ. (by authorisation)")
    ACTING = "Q", _("Q. (acting)")


class Document(TrailedUpdate, models.Model):
    """One document as one agency holds it: an incoming copy or an outgoing draft/issue.

    For an incoming document, number/notation/issued_on are the sender's; register_number
    is the số đến. For an outgoing one, register_number is the number taken when issued and
    number/notation repeat it with the symbol.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # An incoming copy delivered on the system, waiting for the clerk's registration.
        RECEIVED = "received", _("Received, not yet registered")
        REGISTERED = "registered", _("Registered")
        IN_PROGRESS = "in_progress", _("In progress")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Withdrawn")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="documents"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT
    )
    # Registration (số đến / số đi) in this agency's register.
    register = models.ForeignKey(
        Register, verbose_name=_("register"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="documents",
    )
    register_year = models.PositiveSmallIntegerField(_("register year"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("register number"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    # As printed on the document.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    notation = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("body"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20,
        choices=Confidentiality.choices, default=Confidentiality.NORMAL,
    )
    # Who wrote it.
    sender_agency = models.ForeignKey(
        Agency, verbose_name=_("sender agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="sent_documents",
    )
    sender_name = models.CharField(_("sender"), max_length=255, blank=True)
    drafting_unit = models.ForeignKey(
        Unit, verbose_name=_("drafting unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="drafted_documents",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="drafted_documents",
    )
    # Who signs, as printed.
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="signed_documents",
    )
    signer_name = models.CharField(_("signer name"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer title"), max_length=100, blank=True)
    signing_authority = models.CharField(
        _("signing authority"), max_length=5,
        choices=SigningAuthority.choices, default=SigningAuthority.IN_PERSON, blank=True,
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # Links between the request and its reply.
    responds_to = models.ForeignKey(
        "self", verbose_name=_("responds to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="replies",
    )
    source = models.ForeignKey(
        "self", verbose_name=_("delivered from"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="delivered_copies",
        help_text=_("For an incoming copy: the outgoing document it was delivered from."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Set on the withdrawn document and on every recipient's copy of it (thu hồi).
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # What the search box reads, normalised by `normalise.search_normalise` (lower
    # case, no diacritics, đ → d): the heading (number and symbol, summary, sender) ranks
    # above the body, which ranks above the text of the attached files. `save` keeps the
    # first two in step; the extraction task (`workflows.tasks`) writes the third.
    search_head = models.TextField(editable=False, blank=True, default="")
    search_body = models.TextField(editable=False, blank=True, default="")
    search_files = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "direction", "status"]),
            models.Index(fields=["agency", "direction", "-registered_at"]),
        ]
        constraints = [
            # Decree 30 Art. 15: a number, once taken in a register's year, is unique.
            models.UniqueConstraint(
                fields=["register", "register_year", "register_number"],
                condition=models.Q(register_number__isnull=False),
                name="document_register_number_unique",
            ),
        ]

    # Decree 30 Arts. 15 and 18: once a number is taken these are the register's record.
    # The same list guards the rows in the database (the trigger of migration 0008_records_guard).
    REGISTER_FIELDS = ("register_id", "register_year", "register_number")
    # What an issued outgoing document prints: fixed as soon as it is numbered.
    ISSUED_FIELDS = (
        "number", "notation", "issued_on", "signer_id", "signer_name", "signer_title",
        "signing_authority",
    )

    def __str__(self):
        return f"{self.notation or _('(unnumbered)')} – {self.summary}"

    SEARCHED_FIELDS = frozenset({"notation", "summary", "sender_name", "body"})

    def save(self, *args, update_fields=None, **kwargs):
        """Save, refusing any change to the numbered record (even from the admin or a script),
        and refreshing the normalised search columns from the fields they come from (a partial
        save that touches a searched field writes the search columns with it)."""
        changed = self.record_changes()
        if changed:
            raise ValidationError(
                _("Document %(notation)s is a record; %(fields)s cannot be changed.")
                % {"notation": self._stored_record.get("notation") or self.pk,
                   "fields": ", ".join(changed)},
                code="record",
            )
        if update_fields is None or self.SEARCHED_FIELDS.intersection(update_fields):
            self.search_head = search_normalise(
                " ".join((self.notation, self.summary, self.sender_name))
            )
            self.search_body = search_normalise(self.body)
            if update_fields is not None:
                update_fields = {*update_fields, "search_head", "search_body"}
        super().save(*args, update_fields=update_fields, **kwargs)
        self.remember_record()

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        # Remember the stored record so that save() refuses to rewrite it without a query.
        document._stored_record = {
            name: document.__dict__[name]
            for name in (*cls.REGISTER_FIELDS, *cls.ISSUED_FIELDS, "direction")
            if name in document.__dict__
        }
        return document

    def recipients_with_agencies(self) -> list["Recipient"]:
        """Its recipients with their agencies: those read with the document (issuing
        reads them once for its checks, the file and the delivery: `recipients_read`; a
        page prefetches them), else read now."""
        read = getattr(self, "_recipients_read", None)
        if read is not None:
            return list(read)
        if "recipients" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.recipients.all())
        return list(self.recipients.select_related("agency"))

    def recipients_read(self, recipients: list["Recipient"]) -> None:
        """Remember `recipients`, with their agencies, as this document's, read with it."""
        self._recipients_read = recipients

    def is_numbered(self) -> bool:
        """Whether the stored row already holds a register number (a record from then on)."""
        stored = getattr(self, "_stored_record", {})
        return stored.get("register_number") is not None

    def record_fields(self) -> tuple[str, ...]:
        """The attribute names nobody may change any more on this stored document."""
        if not self.is_numbered():
            return ()
        if self._stored_record.get("direction") == Direction.OUTGOING:
            return (*self.REGISTER_FIELDS, *self.ISSUED_FIELDS)
        return self.REGISTER_FIELDS

    def record_changes(self) -> list[str]:
        """The record fields whose value differs from the stored one (names without _id)."""
        return [
            name.removesuffix("_id") for name in self.record_fields()
            if name in self._stored_record and getattr(self, name) != self._stored_record[name]
        ]

    def clean(self):
        changed = self.record_changes()
        if changed:
            raise ValidationError(
                {name: _("A numbered document is a record; this cannot be changed.")
                 for name in changed}
            )

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.remember_record()

    def remember_record(self):
        """Take the record fields as stored now (the model does so when it reads or saves the
        row; a service that wrote them otherwise, in SQL, says so)."""
        self._stored_record = {
            name: getattr(self, name)
            for name in (*self.REGISTER_FIELDS, *self.ISSUED_FIELDS, "direction")
            if name in self.__dict__
        }


class Recipient(models.Model):
    """Where an outgoing document goes: an agency on the system, or a free-text addressee.

    `is_addressee` marks the “Kính gửi” lines; the others only appear under “Nơi nhận”.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_addressee = models.BooleanField(_("addressee (Kính gửi)"), default=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_copy = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="delivery"
    )

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | ~models.Q(name=""),
                name="recipient_has_agency_or_name",
            ),
        ]

    def __str__(self):
        return self.name or str(self.agency)


def attachment_path(instance, filename):
    return f"documents/{instance.document.agency_id}/{instance.document_id}/{filename}"


# The content types of the files a document may carry.
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Attachment(models.Model):
    """A file of a document: the draft, the issued DOCX, a scan of the original."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original")
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued document")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The file's words, extracted after it is stored (`workflows.tasks.attachment_extract`).
    text = models.TextField(_("extracted text"), blank=True, editable=False, default="")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    # Derived from the file for search, so written after the file became a record.
    DERIVED_FIELDS = frozenset({"text"})

    def save(self, *args, update_fields=None, **kwargs):
        """Save, refusing to rewrite the file of an issued document (Decree 30 Art. 18); only
        its extracted text may be written afterwards (`update_fields=["text"]`)."""
        derived_only = update_fields is not None and self.DERIVED_FIELDS.issuperset(update_fields)
        if (self.pk and self.kind == self.Kind.ISSUED and not self._state.adding
                and not derived_only):
            raise ValidationError(
                _("The issued file of a document is a record and cannot be changed."),
                code="record",
            )
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        if self.kind == self.Kind.ISSUED:
            raise ValidationError(
                _("The issued file of a document is a record and cannot be deleted."),
                code="record",
            )
        return super().delete(*args, **kwargs)


class Assignment(models.Model):
    """The leader's direction for an incoming document (ý kiến chỉ đạo, Decree 30 Art. 24).

    Names the lead unit, the supporting units and the deadline; `handler` is the specialist
    the unit head hands it to. Closed when the reply is issued or it is closed with a note.
    """

    class Outcome(models.TextChoices):
        REPLIED = "replied", _("Answered with a document")
        CLOSED = "closed", _("Closed without reply")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="assignments"
    )
    directed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("directed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name=_("supporting units"), blank=True, related_name="supporting_assignments"
    )
    instruction = models.TextField(_("leader's direction"), blank=True)
    due_at = models.DateTimeField(_("deadline"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="handled_assignments",
    )
    created_at = models.DateTimeField(_("directed at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.document} → {self.lead_unit}"

    @cached_property
    def supporting_unit_pks(self) -> list[int]:
        """The supporting units' keys, read once per instance; the step that names the units
        sets them (`handling.incoming_direct`), so its split and tracked task read nothing."""
        return list(self.supporting_units.values_list("pk", flat=True))


class Opinion(models.Model):
    """A comment on a draft (góp ý) or a supporting unit's opinion (phối hợp)."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="opinions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("opinion"))
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.text[:50]}"


class TimelineEntry(models.Model):
    """One step of a document's history: who did what, when, with which decision."""

    class Action(models.TextChoices):
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Received")
        REGISTERED = "registered", _("Registered")
        DIRECTED = "directed", _("Directed")
        HANDED_OVER = "handed_over", _("Handed over")
        DRAFTED = "drafted", _("Drafted")
        COMMENT_REQUESTED = "comment_requested", _("Comments requested")
        COMMENTED = "commented", _("Commented")
        REVIEWED = "reviewed", _("Approved by the unit head")
        RETURNED = "returned", _("Returned")
        SIGNED = "signed", _("Approved and signed")
        ISSUED = "issued", _("Issued")
        DELIVERED = "delivered", _("Delivered")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Withdrawn")
        WITHDRAWN = "withdrawn", _("Withdrawn by the sender")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="timeline")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.document_id}"


class Decision(models.TextChoices):
    """The last decision taken on a process, which the flows' gateways read."""

    # IncomingFlow
    REPLY = "reply", _("Answer with a document")
    CLOSED = "closed", _("Closed without reply")
    ANSWERED = "answered", _("Answered")
    # OutgoingFlow
    COMMENTS = "comments", _("Comments requested")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    RETURNED = "returned", _("Returned")


class DocumentProcess(Process):
    """A viewflow process moving one document; `agency` scopes who may see it."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT,
        related_name="processes",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    # The last decision of a review/approval step, read by the flow's gateways.
    decision = models.CharField(
        _("last decision"), max_length=20, choices=Decision.choices, blank=True
    )

    class Meta:
        verbose_name = _("document process")
        verbose_name_plural = _("document processes")
        indexes = [models.Index(fields=["agency", "document"])]

    def __str__(self):
        return str(self.document)
