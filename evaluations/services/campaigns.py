"""A campaign's life: create, open (the request công văn), extend, lock, approve, publish.

The request is an ordinary outgoing document of the owner: opening a campaign drafts it in
the OutgoingFlow (or links one already sent), so it is reviewed, signed, numbered and
delivered like any công văn and lands in each participant's incoming register.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Agency, Role, Unit, User
from notifications.services import notify
from workflows.models import Direction, Document, DocumentType
from workflows.services.documents import recipient_add_all
from workflows.services.handling import outgoing_draft_new

from ..models import (
    Campaign,
    CampaignDocument,
    ClassificationScale,
    CriteriaTemplate,
    Round,
    Score,
    Submission,
)
from ..selectors import effective_scores, is_owner_leader, is_owner_member
from .criteria import template_copy_into


def _require_owner(*, user: User, campaign: Campaign) -> None:
    if not is_owner_member(user=user, campaign=campaign):
        raise PermissionDenied(_("Only people of %(agency)s manage this campaign.")
                               % {"agency": campaign.owner.name})


def _require_leader(*, user: User, campaign: Campaign) -> None:
    if not is_owner_leader(user=user, campaign=campaign):
        raise PermissionDenied(
            _("Only the head or a deputy head of %(agency)s approves and publishes results.")
            % {"agency": campaign.owner.name}
        )


@transaction.atomic
def campaign_create(
    *,
    user: User,
    title: str,
    period: str,
    scale: ClassificationScale,
    deadline: datetime.datetime,
    template: CriteriaTemplate | None = None,
    agencies: Sequence[Agency] = (),
    units: Sequence[Unit] = (),
    previous: Campaign | None = None,
    participant_label: str = "",
) -> Campaign:
    """A campaign of the user's agency, being prepared, with one submission per participant."""
    owner = user.agency
    if owner is None:
        raise PermissionDenied(_("You do not belong to an agency."))
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter the title of the campaign.")
    if not period.strip():
        errors["period"] = _("Enter the year or period evaluated.")
    if not agencies and not units:
        errors["agencies"] = _("Choose at least one participant.")
    if scale.agency_id != owner.pk:
        errors["scale"] = _("Choose a classification scale of your agency.")
    if template is not None and template.agency_id != owner.pk:
        errors["template"] = _("Choose a criteria set of your agency.")
    if any(unit.agency_id != owner.pk for unit in units):
        errors["units"] = _("Participant units must be units of your agency.")
    if any(agency.pk == owner.pk for agency in agencies):
        errors["agencies"] = _("Your own agency cannot be a participant; choose its units.")
    if previous is not None and previous.owner_id != owner.pk:
        errors["previous"] = _("The previous campaign must be one of your agency's.")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        owner=owner, title=title.strip(), period=period.strip(), scale=scale,
        deadline=deadline, template=template, previous=previous,
        participant_label=participant_label.strip(), created_by=user,
    )
    Submission.objects.bulk_create(
        [Submission(campaign=campaign, agency=agency) for agency in agencies]
        + [Submission(campaign=campaign, unit=unit) for unit in units]
    )
    return campaign


def _request_body(campaign: Campaign) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "%(owner)s asks each participant to assess itself against the criteria of "
            "“%(title)s” (%(period)s) on lienthong and to send its report before "
            "%(deadline)s."
        ) % {
            "owner": campaign.owner.name, "title": campaign.title, "period": campaign.period,
            "deadline": timezone.localtime(campaign.deadline).strftime("%H:%M %d/%m/%Y"),
        }


def _request_draft(*, user: User, campaign: Campaign, agencies: list[Agency]) -> Document:
    """The owner's công văn to the participant agencies, as a draft in the OutgoingFlow.

    `outgoing_draft_new` assigns its drafting step to `user`, who finishes it like any draft
    (“Soạn văn bản mới”): comments, the unit head's review, signature, number, delivery.
    """
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("V/v %(title)s %(period)s") % {
            "title": campaign.title[:1].lower() + campaign.title[1:], "period": campaign.period}
    task = outgoing_draft_new(
        user=user, document_type=DocumentType.objects.get(code="cong-van"), summary=summary
    )
    document = Document.objects.get(processes=task.process_id)
    document.body = _request_body(campaign)
    document.save(update_fields=["body", "updated_at"])
    recipient_add_all(document=document, recipients=agencies)
    return document


@transaction.atomic
def campaign_open(*, user: User, campaign: Campaign, request: Document | None = None) -> Campaign:
    """Open the campaign: freeze the criteria, and send the request to the participant agencies.

    `request` links an outgoing document already sent (e.g. signed on paper and sent by the
    clerk); without it a draft công văn is started for `user` in the OutgoingFlow. Returns
    the campaign, now OPEN.
    """
    _require_owner(user=user, campaign=campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("This campaign is already open."))
    if campaign.deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    if campaign.template_id:
        template_copy_into(template=campaign.template, campaign=campaign)
    if not campaign.criteria.filter(is_leaf=True).exists():
        raise ValidationError(_("The campaign has no criteria to score."))
    agencies = list(
        Agency.objects.filter(evaluation_submissions__campaign=campaign).order_by("name")
    )
    if request is not None:
        if request.agency_id != campaign.owner_id or request.direction != Direction.OUTGOING:
            raise ValidationError(_("The request must be an outgoing document of your agency."))
    elif agencies:
        request = _request_draft(user=user, campaign=campaign, agencies=agencies)
    if request is not None:
        CampaignDocument.objects.create(
            campaign=campaign, document=request, kind=CampaignDocument.Kind.REQUEST
        )
    campaign.status = Campaign.Status.OPEN
    campaign.opened_at = timezone.now()
    campaign.save(update_fields=["status", "opened_at"])
    return campaign


@transaction.atomic
def submission_extend(
    *, user: User, submission: Submission, until: datetime.datetime
) -> Submission:
    """Give one participant a later deadline; a submission locked at the deadline reopens."""
    _require_owner(user=user, campaign=submission.campaign)
    if submission.campaign.status in (Campaign.Status.APPROVED, Campaign.Status.PUBLISHED):
        raise ValidationError(_("The results are approved: no extension is possible."))
    if until <= timezone.now():
        raise ValidationError({"until": _("The extension must end in the future.")})
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    submission.extended_until = until
    if submission.status == Submission.Status.LOCKED:
        submission.status = (
            Submission.Status.SUBMITTED if submission.submitted_at else Submission.Status.DRAFT
        )
        submission.locked_at = None
    submission.save(update_fields=["extended_until", "status", "locked_at"])
    return submission


@transaction.atomic
def campaigns_lock_due(*, now: datetime.datetime | None = None) -> int:
    """Lock every submission whose deadline (or extension) has passed; close such campaigns.

    The beat task calls it. One UPDATE claims the rows, so two runs lock each row once.
    Returns the number of submissions locked.
    """
    now = now or timezone.now()
    due = Q(extended_until__lte=now) | Q(extended_until__isnull=True, campaign__deadline__lte=now)
    locked = Submission.objects.filter(
        due, campaign__status__in=(Campaign.Status.OPEN, Campaign.Status.CLOSED)
    ).exclude(status=Submission.Status.LOCKED).update(
        status=Submission.Status.LOCKED, locked_at=now
    )
    Campaign.objects.filter(status=Campaign.Status.OPEN, deadline__lte=now).update(
        status=Campaign.Status.CLOSED, closed_at=now
    )
    return locked


def _participant_people(submission: Submission):
    """Who hears about a participant's submission: its head (agency) or unit head."""
    if submission.agency_id:
        return User.objects.filter(agency_id=submission.agency_id, role=Role.HEAD, is_active=True)
    return User.objects.filter(pk=submission.unit.head_id, is_active=True)


@transaction.atomic
def campaign_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the participants that have not submitted, once, when the deadline is near.

    “Near” is `EVALUATIONS_REMIND_DAYS_BEFORE` days. Goes through notifications' `notify`
    (in-app and e-mail outbox), with one key per submission: a second run sends nothing.
    Returns the number of people notified.
    """
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.EVALUATIONS_REMIND_DAYS_BEFORE)
    campaigns = Campaign.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        status=Campaign.Status.OPEN, reminded_at__isnull=True, deadline__gt=now,
        deadline__lte=soon,
    ).select_related("owner")
    sent = 0
    for campaign in campaigns:
        pending = campaign.submissions.filter(
            status__in=(Submission.Status.DRAFT, Submission.Status.RETURNED)
        ).select_related("agency", "unit")
        for submission in pending:
            values = {
                "title": campaign.title, "period": campaign.period, "owner": campaign.owner.name,
                "deadline": timezone.localtime(submission.deadline()).strftime("%H:%M %d/%m/%Y"),
            }
            for person in _participant_people(submission):
                notify(
                    key=f"evaluation-reminder:{submission.pk}", user=person,
                    agency=person.agency, kind="evaluation",
                    url=f"/evaluations/submissions/{submission.pk}/",
                    subject=_("Self-assessment due %(deadline)s: %(title)s") % values,
                    text=_("%(owner)s waits for your self-assessment “%(title)s” (%(period)s) "
                           "before %(deadline)s.") % values,
                )
                sent += 1
        campaign.reminded_at = now
        campaign.save(update_fields=["reminded_at"])
    return sent


@transaction.atomic
def campaign_approve(*, user: User, campaign: Campaign) -> Campaign:
    """The owner's leader fixes the results: every submission locks and each leaf's final
    score is the reviewer's where there is one, the self-assessment elsewhere. A participant
    that never submitted gets no final score (its draft does not count)."""
    _require_leader(user=user, campaign=campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
        raise ValidationError(_("Only an open or closed campaign can have its results approved."))
    now = timezone.now()
    effective = effective_scores(campaign=campaign).filter(
        submission__submitted_at__isnull=False
    ).values_list(
        "submission_id", "criterion_id", "value", "explanation"
    )
    Score.objects.filter(submission__campaign=campaign, round=Round.FINAL).delete()
    Score.objects.bulk_create(
        Score(submission_id=submission_id, criterion_id=criterion_id, round=Round.FINAL,
              value=value, explanation=explanation, scored_by=user)
        for submission_id, criterion_id, value, explanation in effective
    )
    campaign.submissions.exclude(status=Submission.Status.LOCKED).update(
        status=Submission.Status.LOCKED, locked_at=now
    )
    campaign.status = Campaign.Status.APPROVED
    campaign.approved_by = user
    campaign.approved_at = now
    campaign.save(update_fields=["status", "approved_by", "approved_at"])
    return campaign


@transaction.atomic
def campaign_publish(*, user: User, campaign: Campaign) -> Campaign:
    """Publish the approved results to every participant at once, and tell their heads."""
    _require_leader(user=user, campaign=campaign)
    campaign = Campaign.objects.select_for_update().select_related("owner").get(pk=campaign.pk)
    if campaign.status != Campaign.Status.APPROVED:
        raise ValidationError(_("Approve the results before publishing them."))
    campaign.status = Campaign.Status.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at"])
    values = {"title": campaign.title, "period": campaign.period, "owner": campaign.owner.name}
    for submission in campaign.submissions.select_related("agency", "unit"):
        for person in _participant_people(submission):
            notify(
                key=f"evaluation-published:{submission.pk}", user=person, agency=person.agency,
                kind="evaluation", url=f"/evaluations/{campaign.pk}/results/",
                subject=_("Results published: %(title)s %(period)s") % values,
                text=_("%(owner)s has published the classification and ranking of "
                       "“%(title)s” (%(period)s).") % values,
            )
    return campaign
