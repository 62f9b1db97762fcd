"""The evaluations application of the viewflow site (“Đánh giá, xếp loại”)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from .views import (
    CampaignActionView,
    CampaignCreateView,
    CampaignDetailView,
    CampaignListView,
    EvidenceDownloadView,
    ResultsExportView,
    ResultsView,
    SubmissionExportView,
    SubmissionView,
)


class EvaluationsApp(Application):
    """Campaigns the agency owns or takes part in, self-assessments, reviews and results."""

    title = _("Evaluations")
    icon = "leaderboard"
    app_name = "evaluations"
    menu_template_name = None

    index_path = path("", CampaignListView.as_view(), name="index")
    create_path = path("new/", CampaignCreateView.as_view(), name="create")
    detail_path = path("<int:pk>/", CampaignDetailView.as_view(), name="detail")
    action_path = path(
        "<int:pk>/do/<slug:action>/", CampaignActionView.as_view(), name="action"
    )
    results_path = path("<int:pk>/results/", ResultsView.as_view(), name="results")
    results_export_path = path(
        "<int:pk>/results.xlsx", ResultsExportView.as_view(), name="results_xlsx"
    )
    submission_path = path(
        "submissions/<int:pk>/", SubmissionView.as_view(), name="submission"
    )
    evidence_path = path(
        "submissions/<int:pk>/evidence/<int:score_pk>/", EvidenceDownloadView.as_view(),
        name="evidence",
    )
    submission_export_path = path(
        "submissions/<int:pk>/report.docx", SubmissionExportView.as_view(), name="submission_docx"
    )
