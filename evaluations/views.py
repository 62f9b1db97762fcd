"""Thin views of evaluations: campaigns, a submission's form, results, exports.

Every read goes through `evaluations.selectors` (a participant never reaches another's
submission or the results before publication: 404); every write is one service call.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from workflows.selectors import document_get_for

from .exports import rank_change_text, results_xlsx, score_text, self_assessment_docx
from .forms import CampaignForm
from .models import Campaign, Submission
from .selectors import (
    campaign_get_for,
    campaign_list_for,
    campaign_results_for,
    is_owner_leader,
    is_owner_member,
    is_participant,
    linked_documents_for,
    my_submission,
    results_visible,
    sent_requests_for,
    submission_get_for,
    submission_list_for,
    submission_sheet,
    top_criteria,
)
from .services.campaigns import (
    campaign_approve,
    campaign_create,
    campaign_open,
    campaign_publish,
    submission_extend,
)
from .services.scores import (
    ScoreInput,
    review_save,
    self_assessment_save,
    submission_return,
    submission_submit,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _refused(request, error) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


class CampaignListView(LoginRequiredMixin, ListView):
    """The campaigns the person's agency owns or takes part in."""

    template_name = "evaluations/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 30

    def get_queryset(self):
        return campaign_list_for(user=self.request.user)


class CampaignCreateView(LoginRequiredMixin, FormView):
    """“Tạo đợt đánh giá”: the owner prepares a campaign; opening it is the next step."""

    template_name = "evaluations/form_page.html"
    form_class = CampaignForm
    extra_context = {
        "page_title": gettext_lazy("New evaluation campaign"),
        "page_help": gettext_lazy(
            "Criteria sets and classification scales are kept in the administration pages. "
            "The campaign opens from its page, which drafts the request to the participants."
        ),
        "submit_label": gettext_lazy("Create the campaign"),
    }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            campaign = campaign_create(user=self.request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect("evaluations:detail", pk=campaign.pk)


class CampaignDetailView(LoginRequiredMixin, TemplateView):
    """A campaign: its data, the linked documents, the submissions the person may see."""

    template_name = "evaluations/campaign_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = campaign_get_for(user=user, pk=kwargs["pk"])
        return super().get_context_data(
            campaign=campaign,
            submissions=submission_list_for(user=user, campaign=campaign),
            documents=linked_documents_for(user=user, campaign=campaign),
            mine=my_submission(user=user, campaign=campaign),
            sent_requests=sent_requests_for(user=user)
            if campaign.status == Campaign.Status.DRAFT else (),
            is_owner=is_owner_member(user=user, campaign=campaign),
            is_leader=is_owner_leader(user=user, campaign=campaign),
            results_visible=results_visible(user=user, campaign=campaign),
            **kwargs,
        )


class CampaignActionView(LoginRequiredMixin, View):
    """POST: open, approve or publish a campaign (one service each)."""

    services = {"open": campaign_open, "approve": campaign_approve, "publish": campaign_publish}
    done = {
        "open": gettext_lazy("The campaign is open; the request is in your drafts."),
        "approve": gettext_lazy("The results are approved."),
        "publish": gettext_lazy("The results are published to every participant."),
    }

    def post(self, request, pk, action):
        campaign = campaign_get_for(user=request.user, pk=pk)
        service = self.services.get(action)
        if service is None:
            raise Http404
        extra = {}
        chosen = request.POST.get("request", "")
        if action == "open" and chosen.isdigit():
            extra["request"] = document_get_for(user=request.user, pk=int(chosen))
        try:
            service(user=request.user, campaign=campaign, **extra)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, self.done[action])
        return redirect("evaluations:detail", pk=campaign.pk)


def _entries(post, files, sheet, *, score_field: str, text_field: str, stored) -> list[ScoreInput]:
    """The lines of the form the person filled in, skipping those left as they were."""
    entries = []
    for row in sheet:
        node = row.criterion
        if not node.is_leaf:
            continue
        raw = post.get(f"{score_field}-{node.pk}", "").strip()
        text = post.get(f"{text_field}-{node.pk}", "").strip()
        upload = files.get(f"evidence-{node.pk}") if score_field == "score" else None
        document_id = post.get(f"document-{node.pk}", "").strip()
        if not raw:
            continue
        current = stored(row)
        if (current is not None and upload is None and not document_id
                and f"{current.value:.2f}" == raw.replace(",", ".")
                and current.explanation == text):
            continue
        entries.append(ScoreInput(
            criterion_id=node.pk, value=raw, explanation=text, evidence_file=upload,
            evidence_document_id=int(document_id) if document_id.isdigit() else None,
        ))
    return entries


def _result_of(user, submission: Submission):
    """The submission's line of the results (class, rank, change), once the user may see it."""
    if not results_visible(user=user, campaign=submission.campaign):
        return None
    row = next(row for row in campaign_results_for(user=user, campaign=submission.campaign)
               if row.submission.pk == submission.pk)
    return {"row": row, "change": rank_change_text(row.change)}


def _typed(posted, name: str, score) -> str:
    """What a field shows: what the person typed (a refused form), else the saved score."""
    if posted is not None:
        return posted.get(name, "")
    return "" if score is None else score_text(score.value)


def _line(row, posted) -> dict:
    pk = row.criterion.pk
    return {
        "row": row,
        "score": _typed(posted, f"score-{pk}", row.own),
        "explanation": posted.get(f"explanation-{pk}", "") if posted is not None
        else (row.own.explanation if row.own else ""),
        "review": _typed(posted, f"review-{pk}", row.review),
        "reason": posted.get(f"reason-{pk}", "") if posted is not None
        else (row.review.explanation if row.review else ""),
    }


class SubmissionView(LoginRequiredMixin, TemplateView):
    """A submission's form over the criteria tree.

    The participant fills its scores and submits; the owner's reviewers score leaves where
    they disagree, with a reason, return the submission or extend its deadline.
    """

    template_name = "evaluations/submission.html"

    def _context(self, submission: Submission, posted=None):
        user = self.request.user
        campaign = submission.campaign
        now = timezone.now()
        participant = is_participant(user=user, submission=submission)
        owner = is_owner_member(user=user, campaign=campaign)
        active = campaign.status in (Campaign.Status.OPEN, Campaign.Status.CLOSED)
        sheet = submission_sheet(submission=submission)
        return {
            "submission": submission,
            "campaign": campaign,
            "lines": [_line(row, posted) for row in sheet],
            "total": sum((row.total for row in sheet if row.criterion.depth == 0), start=0),
            "posted": posted,
            "is_owner": owner,
            "can_fill": participant and active and submission.deadline() > now
            and submission.status in (Submission.Status.DRAFT, Submission.Status.RETURNED),
            "can_review": owner and active and submission.submitted_at is not None,
            "can_return": owner and submission.status == Submission.Status.SUBMITTED,
            "can_extend": owner and active,
            # Before publication the participant sees its own scores, the reviewers' too.
            "show_review": owner or participant,
            "result": _result_of(user, submission),
        }

    def get(self, request, pk):
        submission = submission_get_for(user=request.user, pk=pk)
        return self.render_to_response(self._context(submission))

    def post(self, request, pk):
        submission = submission_get_for(user=request.user, pk=pk)
        action = request.POST.get("action", "")
        sheet = submission_sheet(submission=submission)
        try:
            if action in ("save", "submit"):
                entries = _entries(request.POST, request.FILES, sheet, score_field="score",
                                   text_field="explanation", stored=lambda row: row.own)
                if entries:
                    self_assessment_save(user=request.user, submission=submission, entries=entries)
                if action == "submit":
                    submission_submit(user=request.user, submission=submission)
                    messages.success(request, _("The self-assessment is submitted."))
                else:
                    messages.success(request, _("Your scores are saved."))
            elif action == "review":
                entries = _entries(request.POST, request.FILES, sheet, score_field="review",
                                   text_field="reason", stored=lambda row: row.review)
                review_save(user=request.user, submission=submission, entries=entries)
                messages.success(request, _("The reviewed scores are saved."))
            elif action == "return":
                submission_return(user=request.user, submission=submission,
                                  reason=request.POST.get("return_reason", ""))
                messages.success(request, _("The self-assessment is returned to the participant."))
            elif action == "extend":
                until = _parse_date(request.POST.get("extended_until", ""))
                submission_extend(user=request.user, submission=submission, until=until)
                messages.success(request, _("The deadline of this participant is extended."))
            else:
                raise Http404
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
            # Nothing was saved: the form comes back with what the person typed.
            return self.render_to_response(self._context(submission, posted=request.POST))
        return redirect("evaluations:submission", pk=submission.pk)


def _parse_date(text: str) -> datetime.datetime:
    """“05/12/2023” → the end of that day (17:00 local, when offices close)."""
    try:
        day = datetime.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(_("Write the date as dd/mm/yyyy, e.g. 05/12/2023.")) from None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))


class ResultsView(LoginRequiredMixin, TemplateView):
    """The results table: totals, class, rank n/N and the change since the previous campaign."""

    template_name = "evaluations/results.html"

    def get_context_data(self, **kwargs):
        campaign = campaign_get_for(user=self.request.user, pk=kwargs["pk"])
        rows = campaign_results_for(user=self.request.user, campaign=campaign)
        return super().get_context_data(
            campaign=campaign,
            criteria=top_criteria(campaign=campaign),
            rows=[(row, rank_change_text(row.change)) for row in rows],
            **kwargs,
        )


class ResultsExportView(LoginRequiredMixin, View):
    """The results table as an Excel file."""

    def get(self, request, pk):
        campaign = campaign_get_for(user=request.user, pk=pk)
        rows = campaign_results_for(user=request.user, campaign=campaign)
        response = HttpResponse(results_xlsx(campaign=campaign, rows=rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ket-qua-{campaign.pk}.xlsx"'
        return response


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file, for those who may read the submission (files are not public)."""

    def get(self, request, pk, score_pk):
        submission = submission_get_for(user=request.user, pk=pk)
        score = get_object_or_404(submission.scores.exclude(evidence_file=""), pk=score_pk)
        return FileResponse(
            score.evidence_file.open("rb"), as_attachment=True,
            filename=score.evidence_file.name.rsplit("/", 1)[-1],
        )


class SubmissionExportView(LoginRequiredMixin, View):
    """The self-assessment report as a Word file."""

    def get(self, request, pk):
        submission = submission_get_for(user=request.user, pk=pk)
        response = HttpResponse(self_assessment_docx(submission=submission), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="tu-danh-gia-{submission.pk}.docx"'
        return response
