"""Reads of evaluations, with ALL the scoping: who sees which campaign, submission and result.

- The owner agency's people see their campaigns, every submission and the results.
- A participant's people see the campaign once opened, and their own submission only;
  other participants' submissions and the results are 404 until the results are published.
Totals and ranks are computed by the database: a heading's score is the sum of the leaves
under its path, a submission's total the sum of its effective leaf scores.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import LEADER_ROLES, User
from accounts.selectors import (
    scope_to_agency,
    scoped_to_one_agency,
    user_agency_id,
    works_in_agency,
)
from workflows.models import Direction, Document
from workflows.selectors import document_list_for

from .models import (
    Campaign,
    CampaignCriterion,
    ClassificationBand,
    Round,
    Score,
    Submission,
    path_segment,
)

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=9, decimal_places=2))
FINAL_STATUSES = (Campaign.Status.APPROVED, Campaign.Status.PUBLISHED)


# Who is who ---------------------------------------------------------------------------------


def is_owner_member(*, user: User, campaign: Campaign) -> bool:
    """Whether the user works on the owner's side (prepares, reviews, sees every submission).

    In a campaign over the owner's own units, the people of a participating unit are
    participants, not reviewers.
    """
    if user.is_superuser:
        return True
    if not works_in_agency(user, campaign.owner_id):
        return False
    return user.unit_id is None or not campaign.submissions.filter(unit_id=user.unit_id).exists()


def is_owner_leader(*, user: User, campaign: Campaign) -> bool:
    return is_owner_member(user=user, campaign=campaign) and (
        user.is_superuser or user.role in LEADER_ROLES
    )


def is_participant(*, user: User, submission: Submission) -> bool:
    if submission.agency_id:
        return works_in_agency(user, submission.agency_id)
    return user.unit_id is not None and user.unit_id == submission.unit_id


def _participant_filter(user: User, prefix: str = "") -> Q:
    agency_id = user_agency_id(user)
    query = Q(**{f"{prefix}agency_id": agency_id}) if agency_id else Q(pk__in=[])
    if user.unit_id:
        query |= Q(**{f"{prefix}unit_id": user.unit_id})
    return query


# Campaigns and submissions ------------------------------------------------------------------


def campaign_list_for(*, user: User) -> QuerySet:
    """Campaigns the user's agency owns, and opened ones it (or the user's unit) takes part in."""
    campaigns = Campaign.objects.select_related("owner", "scale")
    owned = scope_to_agency(campaigns, user=user, field="owner")
    if not scoped_to_one_agency(user):
        return owned
    taking_part = Submission.objects.filter(_participant_filter(user), campaign=OuterRef("pk"))
    return owned | campaigns.filter(Exists(taking_part), ~Q(status=Campaign.Status.DRAFT))


def campaign_get_for(*, user: User, pk: int) -> Campaign:
    return get_object_or_404(campaign_list_for(user=user), pk=pk)


def submission_list_for(*, user: User, campaign: Campaign) -> QuerySet:
    """All submissions for the owner; only the user's own otherwise (also after publication:
    the published results are a table, not the other participants' forms)."""
    submissions = campaign.submissions.select_related("agency", "unit", "campaign")
    if is_owner_member(user=user, campaign=campaign):
        return submissions.order_by("agency__name", "unit__name", "pk")
    return submissions.filter(_participant_filter(user)).order_by("pk")


def submission_get_for(*, user: User, pk: int) -> Submission:
    """One submission the user may read, or 404 (another participant's does not exist)."""
    submission = get_object_or_404(
        Submission.objects.select_related("campaign__owner", "campaign__scale", "agency", "unit"),
        pk=pk,
    )
    campaign = submission.campaign
    if is_owner_member(user=user, campaign=campaign):
        return submission
    opened = campaign.status != Campaign.Status.DRAFT
    if opened and is_participant(user=user, submission=submission):
        return submission
    raise Http404


def my_submission(*, user: User, campaign: Campaign) -> Submission | None:
    return campaign.submissions.filter(_participant_filter(user)).first()


def results_visible(*, user: User, campaign: Campaign) -> bool:
    """The owner sees results as they form; participants only once published."""
    return is_owner_member(user=user, campaign=campaign) or (
        campaign.is_published and my_submission(user=user, campaign=campaign) is not None
    )


# Scores and totals --------------------------------------------------------------------------


def effective_scores(*, campaign: Campaign) -> QuerySet:
    """The score rows that count: the final round once approved; before, the review where a
    reviewer scored the leaf and the self-assessment elsewhere."""
    scores = Score.objects.filter(submission__campaign=campaign)
    if campaign.status in FINAL_STATUSES:
        return scores.filter(round=Round.FINAL)
    reviewed = Score.objects.filter(
        submission=OuterRef("submission"), criterion=OuterRef("criterion"), round=Round.REVIEW
    )
    return scores.filter(Q(round=Round.REVIEW) | (Q(round=Round.SELF) & ~Exists(reviewed)))


def _sum_of(scores: QuerySet, **outer) -> Coalesce:
    summed = scores.filter(**outer).values(*outer).annotate(total=Sum("value")).values("total")
    return Coalesce(Subquery(summed), ZERO)


def criterion_totals(*, submission: Submission, scores: QuerySet | None = None) -> QuerySet:
    """The campaign's criteria in tree order, each with `total`: its own score for a leaf,
    the sum of the leaves under it for a heading (one query)."""
    if scores is None:
        scores = effective_scores(campaign=submission.campaign)
    scores = scores.filter(submission=submission).values("submission")
    under = scores.filter(criterion__path__startswith=OuterRef("path"))
    return submission.campaign.criteria.annotate(
        total=Coalesce(Subquery(under.annotate(s=Sum("value")).values("s")), ZERO)
    ).order_by("path")


def submission_total(*, submission: Submission, scores: QuerySet | None = None) -> Decimal:
    if scores is None:
        scores = effective_scores(campaign=submission.campaign)
    return scores.filter(submission=submission).aggregate(t=Sum("value"))["t"] or Decimal("0")


def ranked_submissions(*, campaign: Campaign) -> QuerySet:
    """Submissions with `total` and `rank` (equal totals share a rank, the next skips)."""
    total = _sum_of(effective_scores(campaign=campaign), submission=OuterRef("pk"))
    return (
        campaign.submissions.select_related("agency", "unit")
        .annotate(total=total)
        .annotate(rank=Window(Rank(), order_by=F("total").desc()))
        .order_by("rank", "agency__name", "unit__name", "pk")
    )


def classify(*, total: Decimal, bands: list[ClassificationBand], capped_at=None) -> str:
    """The label of the highest band `total` reaches, never above `capped_at` when given."""
    for band in bands:
        if capped_at is not None and band.min_total > capped_at.min_total:
            continue
        if total >= band.min_total:
            return band.label
    return ""


def _below_floor(*, campaign: Campaign) -> set[int]:
    """Submissions with a criterion whose subtotal is below that criterion's floor (1 query)."""
    floored = campaign.criteria.filter(floor__isnull=False)
    scores = effective_scores(campaign=campaign)
    rows = campaign.submissions.annotate(
        low=Exists(
            floored.annotate(
                subtotal=Coalesce(
                    Subquery(
                        scores.filter(
                            submission=OuterRef(OuterRef("pk")),
                            criterion__path__startswith=OuterRef("path"),
                        ).values("submission").annotate(s=Sum("value")).values("s")
                    ),
                    ZERO,
                )
            ).filter(subtotal__lt=F("floor"))
        )
    ).filter(low=True)
    return set(rows.values_list("pk", flat=True))


@dataclass(frozen=True)
class ResultRow:
    submission: Submission
    total: Decimal
    rank: int
    count: int
    classification: str
    previous_rank: int | None
    previous_count: int | None
    by_criterion: tuple[Decimal, ...] = ()

    @property
    def change(self) -> int | None:
        """Places gained since the previous campaign (negative: lost)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def _previous_ranks(campaign: Campaign) -> tuple[dict, int | None]:
    if campaign.previous_id is None:
        return {}, None
    previous = list(ranked_submissions(campaign=campaign.previous).values_list(
        "agency_id", "unit_id", "rank"
    ))
    return {(agency, unit): rank for agency, unit, rank in previous}, len(previous)


def top_criteria(*, campaign: Campaign) -> list[CampaignCriterion]:
    """The first level of the campaign's tree (Tiêu chí 1 … 9): the results table's columns."""
    return list(campaign.criteria.filter(parent__isnull=True).order_by("path"))


def _subtotals(campaign: Campaign) -> dict[tuple[int, str], Decimal]:
    """{(submission id, top criterion path): its subtotal}, summed by the database in one
    query (a top criterion's path is the first segment of its leaves' paths)."""
    segment = len(path_segment(1))
    rows = (
        effective_scores(campaign=campaign)
        .annotate(top=Substr("criterion__path", 1, segment))
        .values("submission", "top")
        .annotate(subtotal=Sum("value"))
    )
    return {(row["submission"], row["top"]): row["subtotal"] for row in rows}


def campaign_results(*, campaign: Campaign) -> list[ResultRow]:
    """The results table: total, each criterion's subtotal, rank “n/N”, class, and the rank
    in the previous campaign.

    A fixed number of queries whatever the number of participants.
    """
    rows = list(ranked_submissions(campaign=campaign))
    tops = [top.path for top in top_criteria(campaign=campaign)]
    subtotals = _subtotals(campaign)
    bands = list(campaign.scale.bands.all())
    cap = campaign.scale.floor_cap_band
    low = _below_floor(campaign=campaign) if cap is not None else set()
    previous, previous_count = _previous_ranks(campaign)
    return [
        ResultRow(
            submission=row, total=row.total, rank=row.rank, count=len(rows),
            classification=classify(
                total=row.total, bands=bands, capped_at=cap if row.pk in low else None
            ),
            previous_rank=previous.get((row.agency_id, row.unit_id)),
            previous_count=previous_count,
            by_criterion=tuple(subtotals.get((row.pk, top), Decimal(0)) for top in tops),
        )
        for row in rows
    ]


def campaign_results_for(*, user: User, campaign: Campaign) -> list[ResultRow]:
    """The results for someone allowed to see them; 404 for a participant before publication."""
    if not results_visible(user=user, campaign=campaign):
        raise Http404
    return campaign_results(campaign=campaign)



def self_classification(*, submission: Submission) -> tuple[Decimal, str]:
    """The self-assessed total and the class it gives (what the participant's report says)."""
    scores = Score.objects.filter(submission=submission, round=Round.SELF)
    total = submission_total(submission=submission, scores=scores)
    return total, classify(total=total, bands=list(submission.campaign.scale.bands.all()))


def leaf_scores(*, submission: Submission) -> dict[int, dict[str, Score]]:
    """{criterion id: {round: Score}} of one submission, for the form (one query)."""
    table: dict[int, dict[str, Score]] = {}
    for score in submission.scores.select_related("evidence_document"):
        table.setdefault(score.criterion_id, {})[score.round] = score
    return table



@dataclass(frozen=True)
class SheetRow:
    """One line of a submission's form: a criterion, its computed total and its leaf scores."""

    criterion: CampaignCriterion
    total: Decimal
    own: Score | None
    review: Score | None
    final: Score | None


def submission_sheet(*, submission: Submission) -> list[SheetRow]:
    """The criteria tree of a submission with totals and each round's score (two queries)."""
    table = leaf_scores(submission=submission)
    return [
        SheetRow(
            criterion=node, total=node.total,
            own=table.get(node.pk, {}).get(Round.SELF),
            review=table.get(node.pk, {}).get(Round.REVIEW),
            final=table.get(node.pk, {}).get(Round.FINAL),
        )
        for node in criterion_totals(submission=submission)
    ]


def sent_requests_for(*, user: User) -> QuerySet:
    """Issued outgoing documents of the user's agency a campaign may take as its request
    (one signed on paper and sent by the clerk, say), newest first."""
    return document_list_for(user=user, direction=Direction.OUTGOING).filter(
        status=Document.Status.ISSUED
    ).order_by("-issued_on", "-pk")[:50]


def linked_documents_for(*, user: User, campaign: Campaign) -> QuerySet:
    """The campaign's documents as the user's agency holds them: the request (the owner's
    outgoing one, or the participant's incoming copy) and the reports (the participant's
    own, or the copies delivered to the owner)."""
    linked = campaign.documents.values("document")
    return scope_to_agency(
        Document.objects.filter(Q(pk__in=linked) | Q(source__in=linked)), user=user
    ).select_related("document_type").order_by("created_at", "pk")
