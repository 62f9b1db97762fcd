"""Evaluation campaigns between agencies: criteria, self-assessment, review, ranking.

An owner agency keeps reusable criteria templates and classification scales. A campaign
takes a frozen copy of a template when it opens (editing the template later changes nothing
already scored), and gives each participant (an agency, or a unit of the owner) one
Submission. Scores are rows per leaf criterion and round (self, review, final); totals of
parents and of the whole submission are sums computed by the database, never stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit
from workflows.models import Document

SCORE_DIGITS = {"max_digits": 7, "decimal_places": 2}


def path_segment(position: int) -> str:
    """One level of a criterion's path: its position, zero-padded so paths sort as trees."""
    return f"{position:04d}."


class CriteriaTemplate(models.Model):
    """A reusable set of criteria of one agency (e.g. “Chấm điểm công tác dân vận”)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="criteria_templates",
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("criteria template")
        verbose_name_plural = _("criteria templates")
        ordering = ["agency__name", "name"]

    def __str__(self):
        return self.name


class CriterionFields(models.Model):
    """What a criterion says, in a template or in a campaign's frozen copy.

    A node with children is a heading (its score is the sum of its leaves); a leaf has a
    maximum score. `floor`, when set, is the least subtotal below which the scale's floor
    rule caps the classification.
    """

    code = models.CharField(_("number"), max_length=20, help_text=_("e.g. 1, 1.1, 1.1.1, a)."))
    title = models.TextField(_("title"))
    max_score = models.DecimalField(
        _("maximum score"), null=True, blank=True, **SCORE_DIGITS,
        help_text=_("Leaves only: the most points the criterion gives."),
    )
    guidance = models.TextField(_("guidance"), blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    floor = models.DecimalField(_("floor"), null=True, blank=True, **SCORE_DIGITS)
    position = models.PositiveIntegerField(_("order"), default=0)
    # Materialised path of zero-padded positions ("0001.0003."): a subtree is a prefix, so
    # the database sums a heading's leaves with one LIKE.
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self):
        return f"{self.code} {self.title}"


class TemplateCriterion(CriterionFields):
    """A criterion of a template, editable by its agency at any time."""

    template = models.ForeignKey(
        CriteriaTemplate, on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta(CriterionFields.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")


class ClassificationScale(models.Model):
    """Ordered bands of a total (≥ 90 “Hoàn thành xuất sắc nhiệm vụ”…), kept as data.

    With `floor_cap_band`, a criterion whose subtotal is below its floor caps the class at
    that band.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="classification_scales",
    )
    name = models.CharField(_("name"), max_length=255)
    floor_cap_band = models.ForeignKey(
        "ClassificationBand", verbose_name=_("class when a criterion is below its floor"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("classification scale")
        verbose_name_plural = _("classification scales")
        ordering = ["agency__name", "name"]

    def __str__(self):
        return self.name


class ClassificationBand(models.Model):
    """One class of a scale: totals from `min_total` up belong to it (highest band first)."""

    scale = models.ForeignKey(
        ClassificationScale, on_delete=models.CASCADE, related_name="bands"
    )
    label = models.CharField(_("class"), max_length=255)
    min_total = models.DecimalField(_("from (points)"), **SCORE_DIGITS)

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["scale", "-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "min_total"], name="band_min_unique"),
        ]

    def __str__(self):
        return self.label


class Campaign(models.Model):
    """An evaluation an agency opens for its participants, with a deadline.

    DRAFT (being prepared) → OPEN (request sent, participants fill in) → CLOSED (the
    deadline passed: late work needs an extension) → APPROVED (the owner's leader fixed the
    final scores) → PUBLISHED (every participant sees the classification and ranking).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for self-assessment")
        CLOSED = "closed", _("Closed at the deadline")
        APPROVED = "approved", _("Results approved")
        PUBLISHED = "published", _("Results published")

    owner = models.ForeignKey(
        Agency, verbose_name=_("owner agency"), on_delete=models.PROTECT,
        related_name="evaluation_campaigns",
    )
    title = models.CharField(_("title"), max_length=255)
    period = models.CharField(_("year or period"), max_length=50)
    template = models.ForeignKey(
        CriteriaTemplate, verbose_name=_("criteria template"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="campaigns",
    )
    scale = models.ForeignKey(
        ClassificationScale, verbose_name=_("classification scale"),
        on_delete=models.PROTECT, related_name="campaigns",
    )
    deadline = models.DateTimeField(_("deadline"))
    previous = models.ForeignKey(
        "self", verbose_name=_("previous campaign"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    participant_label = models.CharField(
        _("participants are called"), max_length=255, blank=True,
        help_text=_("Printed after the rank, e.g. “Phòng Dân tộc cấp huyện trên toàn tỉnh”."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.title} ({self.period})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CampaignCriterion(CriterionFields):
    """The campaign's frozen copy of a criterion: what participants are scored against."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    is_leaf = models.BooleanField(default=True, editable=False)

    class Meta(CriterionFields.Meta):
        verbose_name = _("campaign criterion")
        verbose_name_plural = _("campaign criteria")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "path"], name="campaign_criterion_path"),
            models.CheckConstraint(
                condition=models.Q(is_leaf=False) | models.Q(max_score__gte=0),
                name="campaign_leaf_has_max",
            ),
        ]

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1


class Submission(models.Model):
    """One participant's self-assessment in a campaign, and the owner's review of it.

    DRAFT → SUBMITTED → RETURNED (with a reason, back to the participant) → … → LOCKED
    (at the deadline, or when the results are approved). A participant is an agency, or a
    unit of the owner agency.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        LOCKED = "locked", _("Locked")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE,
        related_name="submissions",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("participant agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="evaluation_submissions",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("participant unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="evaluation_submissions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True) ^ models.Q(unit__isnull=True),
                name="submission_agency_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "agency"], condition=models.Q(agency__isnull=False),
                name="submission_agency_unique",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"], condition=models.Q(unit__isnull=False),
                name="submission_unit_unique",
            ),
        ]

    def __str__(self):
        return self.participant_name

    @property
    def participant_name(self) -> str:
        return self.agency.name if self.agency_id else self.unit.name

    def deadline(self):
        """The deadline that applies to this participant: its extension, else the campaign's."""
        return self.extended_until or self.campaign.deadline

    def clean(self):
        if self.unit_id and self.campaign_id and self.unit.agency_id != self.campaign.owner_id:
            raise ValidationError({"unit": _("A participant unit must be one of the owner's.")})


class Round(models.TextChoices):
    SELF = "self", _("Self-assessment")
    REVIEW = "review", _("Review")
    FINAL = "final", _("Final")


def evidence_path(instance, filename):
    return f"evaluations/{instance.submission.campaign_id}/{instance.submission_id}/{filename}"


class Score(models.Model):
    """The points one round gives one leaf of one submission, with its explanation.

    Evidence is an uploaded file or a document already in lienthong (a link, no copy).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        CampaignCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    value = models.DecimalField(_("score"), **SCORE_DIGITS)
    explanation = models.TextField(_("explanation"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to=evidence_path, blank=True, max_length=300
    )
    evidence_document = models.ForeignKey(
        Document, verbose_name=_("evidence document"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__path", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion", "round"], name="score_unique_per_round"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.value}"


class ScoreEntry(models.Model):
    """Every save of a score, kept: two reviewers saving one leaf at once both stay on record."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="score_entries"
    )
    criterion = models.ForeignKey(CampaignCriterion, on_delete=models.CASCADE, related_name="+")
    round = models.CharField(max_length=10, choices=Round.choices)
    value = models.DecimalField(**SCORE_DIGITS)
    explanation = models.TextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score history entry")
        verbose_name_plural = _("score history")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.criterion_id} {self.round}: {self.value}"


class CampaignDocument(models.Model):
    """A document of the routing flows that belongs to a campaign.

    REQUEST: the owner's công văn asking for the evaluation (each participant's incoming copy
    is the delivered copy of it). REPORT: a participant's report (BÁO CÁO) answering it.
    """

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        REPORT = "report", _("Self-assessment report")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="documents")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("campaign document")
        verbose_name_plural = _("campaign documents")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "document"], name="campaign_document_unique"
            ),
        ]

    def __str__(self):
        return str(self.document)
