"""Scoring: the participant's self-assessment, its submission, the owner's review.

Every score is checked before anything is written (a leaf of this campaign, between 0 and
the leaf's maximum), so a form with one bad line saves nothing. Saving is an upsert on
(submission, criterion, round): two reviewers saving the same leaf at the same moment both
succeed, the row holds the later value, and ScoreEntry keeps both.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from accounts.models import User
from workflows.flows import IncomingFlow
from workflows.models import Attachment, Document, DocumentType
from workflows.selectors import document_get_for
from workflows.services.documents import attachment_add, attachment_validate
from workflows.services.files import files_removed_on_failure
from workflows.services.handling import incoming_reply
from workflows.services.routing import open_task, task_perform

from ..exports import score_text, self_assessment_docx, self_assessment_text
from ..models import (
    Campaign,
    CampaignCriterion,
    CampaignDocument,
    Round,
    Score,
    ScoreEntry,
    Submission,
)
from ..selectors import is_owner_member, is_participant


@dataclass(frozen=True)
class ScoreInput:
    """One line of a scoring form: the leaf, the points (as typed) and why."""

    criterion_id: int
    value: str | Decimal
    explanation: str = ""
    evidence_file: object | None = None
    evidence_document_id: int | None = None


def parse_score(raw) -> Decimal:
    """“7,5” or “7.5” → Decimal("7.5"); anything else is refused in Vietnamese."""
    if isinstance(raw, Decimal):
        return raw
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


def _check(criterion: CampaignCriterion | None, value: Decimal, *, campaign_id: int) -> None:
    if criterion is None or criterion.campaign_id != campaign_id:
        raise ValidationError(_("This criterion is not part of the campaign."))
    label = f"{criterion.code} {criterion.title[:60]}"
    if not criterion.is_leaf:
        raise ValidationError(
            _("Criterion %(label)s has sub-criteria: its score is the sum of theirs and cannot "
              "be entered.") % {"label": label}
        )
    if value < 0:
        raise ValidationError(
            _("The score of criterion %(label)s cannot be negative.") % {"label": label}
        )
    if value > criterion.max_score:
        raise ValidationError(
            _("The score of criterion %(label)s is at most %(max)s points; %(value)s is too "
              "many.") % {"label": label, "max": score_text(criterion.max_score),
                          "value": score_text(value)}
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            _("The score of criterion %(label)s has more than two decimals.") % {"label": label}
        )


def _evidence_document(user: User, document_id: int | None) -> Document | None:
    # A link only to a document the person may read: the same scoping as the documents pages.
    return document_get_for(user=user, pk=document_id) if document_id else None


def _upsert(*, user: User, submission: Submission, round: str, lines: list[tuple]) -> list[Score]:
    rows = []
    for criterion, value, line in lines:
        score = Score(
            submission=submission, criterion=criterion, round=round, value=value,
            explanation=line.explanation.strip(), scored_by=user,
            evidence_document=_evidence_document(user, line.evidence_document_id),
        )
        if line.evidence_file is not None:
            score.evidence_file.save(line.evidence_file.name, line.evidence_file, save=False)
        rows.append(score)
    update_fields = ["value", "explanation", "scored_by", "updated_at"]
    with_files = [row for row in rows if row.evidence_file]
    with_documents = [row for row in rows if row.evidence_document_id]
    plain = [row for row in rows if not row.evidence_file and not row.evidence_document_id]
    for group, extra in ((plain, []), (with_files, ["evidence_file"]),
                         (with_documents, ["evidence_document"])):
        if group:
            # INSERT … ON CONFLICT DO UPDATE: no read-then-write window between two savers.
            Score.objects.bulk_create(
                group, update_conflicts=True,
                unique_fields=["submission", "criterion", "round"],
                update_fields=update_fields + extra,
            )
    ScoreEntry.objects.bulk_create(
        ScoreEntry(submission=submission, criterion=row.criterion, round=round, value=row.value,
                   explanation=row.explanation, scored_by=user)
        for row in rows
    )
    return rows


def _lines(submission: Submission, entries: Sequence[ScoreInput]) -> list[tuple]:
    criteria = CampaignCriterion.objects.in_bulk([entry.criterion_id for entry in entries])
    lines = []
    for entry in entries:
        criterion = criteria.get(entry.criterion_id)
        value = parse_score(entry.value)
        _check(criterion, value, campaign_id=submission.campaign_id)
        if entry.evidence_file is not None:
            attachment_validate(uploaded_file=entry.evidence_file)
        lines.append((criterion, value, entry))
    return lines


def _editable_by_participant(submission: Submission, now: datetime.datetime) -> None:
    if submission.status == Submission.Status.LOCKED or submission.deadline() <= now:
        raise ValidationError(
            _("The deadline (%(deadline)s) has passed and the self-assessment is locked; ask "
              "%(owner)s for an extension.") % {
                "deadline": timezone.localtime(submission.deadline()).strftime("%H:%M %d/%m/%Y"),
                "owner": submission.campaign.owner.name,
            }
        )
    if submission.status == Submission.Status.SUBMITTED:
        raise ValidationError(_("The self-assessment was submitted and can no longer be changed."))
    if submission.campaign.status not in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
        raise ValidationError(_("The campaign is not open."))


def _locked_submission(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("campaign__owner", "agency", "unit")
        .get(pk=submission.pk)
    )


@transaction.atomic
def self_assessment_save(
    *, user: User, submission: Submission, entries: Sequence[ScoreInput]
) -> list[Score]:
    """Save the participant's own scores (any number of leaves); all or nothing."""
    if not is_participant(user=user, submission=submission):
        raise PermissionDenied(_("Only the participant fills in its self-assessment."))
    lines = _lines(submission, entries)
    # The row lock orders a save against the deadline lock and the submission.
    submission = _locked_submission(submission)
    _editable_by_participant(submission, timezone.now())
    return _upsert(user=user, submission=submission, round=Round.SELF, lines=lines)


@transaction.atomic
def review_save(
    *, user: User, submission: Submission, entries: Sequence[ScoreInput]
) -> list[Score]:
    """The owner's reviewer scores leaves where they disagree; a reason is required.

    No lock on the submission: reviewers of one campaign work side by side, and the upsert
    keeps each leaf's row whole.
    """
    submission = Submission.objects.select_related("campaign__owner").get(pk=submission.pk)
    campaign = submission.campaign
    if not is_owner_member(user=user, campaign=campaign):
        raise PermissionDenied(_("Only the owner's reviewers score a submission."))
    if campaign.status not in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
        raise ValidationError(_("The results are approved: scores can no longer change."))
    if submission.submitted_at is None:
        raise ValidationError(_("The participant has not submitted its self-assessment yet."))
    lines = _lines(submission, entries)
    for criterion, _value, entry in lines:
        if not entry.explanation.strip():
            raise ValidationError(
                _("Give the reason for the reviewed score of criterion %(code)s.")
                % {"code": criterion.code}
            )
    return _upsert(user=user, submission=submission, round=Round.REVIEW, lines=lines)


def _missing(submission: Submission) -> list[str]:
    leaves = submission.campaign.criteria.filter(is_leaf=True)
    scored = Score.objects.filter(submission=submission, round=Round.SELF)
    unscored = leaves.exclude(pk__in=scored.values("criterion_id"))
    no_evidence = leaves.filter(evidence_required=True).exclude(
        pk__in=scored.exclude(evidence_file="", evidence_document__isnull=True)
        .values("criterion_id")
    )
    return (
        [_("%(code)s (no score)") % {"code": code}
         for code in unscored.values_list("code", flat=True)]
        + [_("%(code)s (no evidence)") % {"code": code}
           for code in no_evidence.values_list("code", flat=True)]
    )


def _report_start(*, user: User, submission: Submission, docx: bytes) -> Document | None:
    """Answer the campaign's request with the participant's report, through the IncomingFlow.

    When `user` holds the handling step of their agency's copy of the request, the step is
    done as “reply with a document”: a BÁO CÁO draft answering the request, with the
    self-assessment attached, that goes on through review, signature and issue.
    """
    requests = CampaignDocument.objects.filter(
        campaign=submission.campaign, kind=CampaignDocument.Kind.REQUEST
    ).values("document")
    copy = Document.objects.filter(source__in=requests, agency=submission.agency_id).first()
    task = open_task(document=copy, node=IncomingFlow.handle) if copy else None
    if task is None or task.status != STATUS.ASSIGNED or task.owner_id != user.pk:
        return None
    process = task_perform(
        task=task, user=user, service=incoming_reply,
        document_type=DocumentType.objects.get(code="bao-cao"),
    )
    report = process.document
    # The draft starts with the self-assessment; the drafter edits it like any draft.
    report.body = self_assessment_text(submission=submission)
    report.save(update_fields=["body", "updated_at"])
    attachment_add(
        document=report, kind=Attachment.Kind.DRAFT, user=user,
        uploaded_file=SimpleUploadedFile(
            f"tu-danh-gia-{submission.pk}.docx", ContentFile(docx).read()
        ),
    )
    CampaignDocument.objects.create(
        campaign=submission.campaign, submission=submission, document=report,
        kind=CampaignDocument.Kind.REPORT,
    )
    return report


# The report's draft and its file are stored in the submission's transaction.
@files_removed_on_failure()
@transaction.atomic
def submission_submit(*, user: User, submission: Submission) -> Submission:
    """The participant submits its self-assessment: every leaf scored, evidence where required,
    before its deadline (or extension). Starts the report answering the request."""
    if not is_participant(user=user, submission=submission):
        raise PermissionDenied(_("Only the participant submits its self-assessment."))
    submission = _locked_submission(submission)
    _editable_by_participant(submission, timezone.now())
    missing = _missing(submission)
    if missing:
        raise ValidationError(
            _("Complete the self-assessment first: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.return_reason = ""
    submission.save(update_fields=["status", "submitted_at", "submitted_by", "return_reason"])
    if submission.agency_id:
        _report_start(
            user=user, submission=submission, docx=self_assessment_docx(submission=submission)
        )
    return submission


@transaction.atomic
def submission_return(*, user: User, submission: Submission, reason: str) -> Submission:
    """The owner sends a submitted self-assessment back, saying why."""
    if not is_owner_member(user=user, campaign=submission.campaign):
        raise PermissionDenied(_("Only the owner returns a submission."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the self-assessment is returned.")})
    submission = _locked_submission(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted self-assessment can be returned."))
    if submission.deadline() <= timezone.now():
        raise ValidationError(
            _("The deadline has passed: extend it for this participant before returning.")
        )
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason.strip()
    submission.save(update_fields=["status", "return_reason"])
    return submission
