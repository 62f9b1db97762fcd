"""The tracking application of the viewflow site (Theo dõi nhiệm vụ)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import views


class TrackingApp(Application):
    """“Theo dõi nhiệm vụ”: statistics, task lists, entry and import of tasks."""

    title = _("Task tracking")
    icon = "fact_check"
    app_name = "tracking"
    menu_template_name = None

    index_path = path("", views.StatisticsView.as_view(), name="index")
    annex_path = path("annex/", views.AnnexView.as_view(), name="annex")
    report_export_path = path("report.xlsx", views.ReportExportView.as_view(),
                              name="report_export")
    task_list_path = path("tasks/", views.TaskListView.as_view(), name="task_list")
    task_export_path = path("tasks/export/", views.TaskExportView.as_view(), name="task_export")
    export_detail_path = path("exports/<int:pk>/", views.ExportDetailView.as_view(),
                              name="export_detail")
    export_download_path = path("exports/<int:pk>/file/", views.ExportDownloadView.as_view(),
                                name="export_download")
    task_create_path = path("tasks/new/", views.TaskCreateView.as_view(), name="task_create")
    task_import_path = path("tasks/import/", views.TaskImportView.as_view(), name="task_import")
    import_template_path = path("tasks/import/template.xlsx",
                                views.ImportTemplateView.as_view(), name="import_template")
    task_detail_path = path("tasks/<int:pk>/", views.TaskDetailView.as_view(),
                            name="task_detail")
    task_action_path = path("tasks/<int:pk>/<slug:action>/", views.TaskActionView.as_view(),
                            name="task_action")
