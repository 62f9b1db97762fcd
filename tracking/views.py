"""Thin views of the tracking pages: statistics, task lists, a task, entry, import, export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.models import Role

from . import excel, exports, services
from .forms import (
    BlockForm,
    DecisionForm,
    ExtensionForm,
    FinishForm,
    ImportForm,
    ReportForm,
    TaskForm,
    statistics_scope,
)
from .importing import ImportRefused, tasks_import, template_write
from .models import Status, TaskExport
from .selectors import (
    export_get_for,
    extension_get_for,
    statistics_for,
    task_get_for,
    task_timeline,
)

FIGURE_STATUSES = [
    (Status.FINISHED_ON_TIME, "on_time"), (Status.FINISHED_LATE, "late"),
    (Status.IN_PROGRESS, "in_progress"), (Status.OVERDUE, "overdue"),
    (Status.BLOCKED, "blocked"), (Status.NO_DEADLINE, "no_deadline"),
]


class PeriodMixin(LoginRequiredMixin):
    """Reads the period and the narrowing (unit, person) from the query string."""

    def period_setup(self):
        scope = statistics_scope(user=self.request.user, query=self.request.GET)
        self.scope, self.form, self.period = scope, scope.form, scope.period
        self.unit, self.person, self.tasks = scope.unit, scope.person, scope.tasks
        unassigned = scope.unassigned
        start, end, as_of = self.period.start, self.period.end, self.period.as_of
        self.query = {"period": "custom", "start": start.isoformat(), "end": end.isoformat(),
                      "as_of": as_of.isoformat()}
        if self.unit:
            self.query["unit"] = self.unit.pk
        if self.person or unassigned:
            self.query["person"] = self.person.pk if self.person else "none"

    def list_url(self, **filters) -> str:
        return f"{reverse('tracking:task_list')}?{urlencode({**self.query, **filters})}"

    def scope_title(self) -> str:
        """Whose tasks the page counts: the narrowing asked for, else the person's scope."""
        user = self.request.user
        if self.person:
            return self.person.get_full_name()
        if self.unit:
            return self.unit.name
        if user.role == Role.UNIT_HEAD and user.unit_id:
            return user.unit.name
        if user.role == Role.SPECIALIST:
            return user.get_full_name()
        return str(user.agency or "")


class StatisticsView(PeriodMixin, TemplateView):
    """The statistics page: figures, charts, and a link from every figure to its tasks."""

    template_name = "tracking/statistics.html"

    def get_context_data(self, **kwargs):
        self.period_setup()
        statistics = statistics_for(tasks=self.tasks, period=self.period)

        def links(figures, **group):
            return {
                "total": self.list_url(**group),
                **{name: self.list_url(status=status.value, **group)
                   for status, name in FIGURE_STATUSES},
                "missed": self.list_url(status="missed", **group),
            }

        def rows(groups, key):
            return [(figures, links(figures, **{key: figures.key if figures.key is not None
                                               else "none"})) for figures in groups]

        charts = {
            "status": {
                "labels": [str(status.label) for status, _name in FIGURE_STATUSES],
                "values": [getattr(statistics.totals, name) for _status, name in FIGURE_STATUSES],
            },
            "months": {
                "labels": [figures.label for figures in statistics.by_month],
                "on_time": [figures.on_time for figures in statistics.by_month],
                "missed": [figures.missed for figures in statistics.by_month],
                "open": [figures.in_progress + figures.overdue + figures.blocked
                         for figures in statistics.by_month],
                "names": [_("Finished on time"), _("Missed the deadline"), _("Not finished yet")],
            },
            "units": {
                "labels": [figures.label for figures in statistics.by_unit],
                "on_time": [figures.on_time for figures in statistics.by_unit],
                "missed": [figures.missed for figures in statistics.by_unit],
                "names": [_("Finished on time"), _("Missed the deadline")],
            },
        }
        return super().get_context_data(
            form=self.form, statistics=statistics, totals=statistics.totals,
            total_links=links(statistics.totals), scope_title=self.scope_title(),
            by_category=rows(statistics.by_category, "category"),
            by_unit=rows(statistics.by_unit, "unit"),
            by_person=rows(statistics.by_person, "person"),
            charts=charts, query=urlencode(self.query),
            can_enter=self.request.user.role in services.ENTRY_ROLES, **kwargs,
        )


class TaskListView(PeriodMixin, TemplateView):
    """The tasks behind a figure (same period and filters), with their status and reminders."""

    template_name = "tracking/task_list.html"

    def rows(self):
        self.period_setup()
        self.status = self.request.GET.get("status", "")
        return self.scope.rows(status=self.status, category=self.request.GET.get("category", ""))

    def get_context_data(self, **kwargs):
        page = Paginator(self.rows(), 50).get_page(self.request.GET.get("page"))
        labels = {**{s.value: s.label for s in Status}, "missed": _("Missed the deadline")}
        return super().get_context_data(
            page=page, period=self.period, scope_title=self.scope_title(),
            status_label=labels.get(self.status, _("All tasks")),
            export_query=self.request.GET.urlencode(), **kwargs,
        )


def _xlsx(stream, filename: str) -> FileResponse:
    return FileResponse(
        stream, as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class TaskExportView(TaskListView):
    """POST: ask for the task list as an Excel file; the worker writes it (tracking/exports.py)
    and the person waits on the export's page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.rows()  # an unknown unit, person, status or category is a 404 here, not later
        query = {**self.query, "status": self.status,
                 "category": request.GET.get("category", "")}
        export = exports.task_export_request(
            user=request.user, query=urlencode({k: v for k, v in query.items() if v})
        )
        return redirect("tracking:export_detail", pk=export.pk)


class ExportDetailView(LoginRequiredMixin, TemplateView):
    """An Excel export's page: “being prepared” (reloading itself), then the download link."""

    template_name = "tracking/export_detail.html"

    def get_context_data(self, **kwargs):
        export = export_get_for(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(export=export, states=TaskExport.State, **kwargs)


class ExportDownloadView(LoginRequiredMixin, View):
    """The file of one of the person's own ready exports."""

    def get(self, request, pk):
        export = export_get_for(user=request.user, pk=pk)
        if export.state != TaskExport.State.READY:
            raise Http404
        return _xlsx(export.file.open("rb"), export.filename)


class ReportExportView(PeriodMixin, View):
    """The statistics as an Excel file."""

    def get(self, request, *args, **kwargs):
        self.period_setup()
        statistics = statistics_for(tasks=self.tasks, period=self.period)
        title = _("Task statistics – %(scope)s") % {"scope": self.scope_title()}
        return _xlsx(excel.report_write(statistics=statistics, title=title),
                     f"thong-ke-nhiem-vu-{self.period.as_of:%Y%m%d}.xlsx")


class AnnexView(StatisticsView):
    """The statistics laid out as a report annex (phụ lục), for printing."""

    template_name = "tracking/annex.html"


class TaskDetailView(LoginRequiredMixin, TemplateView):
    """One task: its facts, status, reminders, timeline, and the actions the person may take."""

    template_name = "tracking/task_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        task = task_get_for(user=user, pk=self.kwargs["pk"])
        can_act = services.can_act_on(user=user, task=task)
        pending = task.extensions.filter(decision="pending").first()
        return super().get_context_data(
            task=task, timeline=task_timeline(task=task),
            reminders=task.deadline.reminders.count() if task.deadline_id else 0,
            can_act=can_act and task.is_open,
            can_finish=can_act and task.is_open and task.assignment_id is None,
            can_extend=task.is_open and task.due_on is not None and pending is None
            and user.pk in (task.handler_id, task.lead_unit.head_id),
            pending=pending,
            can_decide=pending is not None and services.can_decide_extension(user=user,
                                                                              task=task),
            report_form=ReportForm(), block_form=BlockForm(), finish_form=FinishForm(),
            extension_form=ExtensionForm(), decision_form=DecisionForm(), **kwargs,
        )


class TaskActionView(LoginRequiredMixin, View):
    """POST one action on a task (report, block, unblock, finish, extension, decision)."""

    def post(self, request, pk, action):
        user = request.user
        task = task_get_for(user=user, pk=pk)
        forms = {"report": ReportForm, "block": BlockForm, "finish": FinishForm,
                 "extend": ExtensionForm, "decide": DecisionForm, "unblock": None}
        if action not in forms:
            raise Http404
        form = forms[action](request.POST, request.FILES) if forms[action] else None
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("tracking:task_detail", pk=task.pk)
        data = form.cleaned_data if form else {}
        try:
            if action == "report":
                services.progress_report_add(user=user, task=task, **data)
            elif action == "block":
                services.task_block(user=user, task=task, **data)
            elif action == "unblock":
                services.task_unblock(user=user, task=task)
            elif action == "finish":
                services.task_finish(user=user, task=task, **data)
            elif action == "extend":
                services.extension_request(user=user, task=task, **data)
            else:
                pending = extension_get_for(user=user, pk=request.POST.get("request", 0))
                services.extension_decide(user=user, request=pending, **data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
        return redirect("tracking:task_detail", pk=task.pk)


class EntryRoleMixin(LoginRequiredMixin):
    """Only the people who enter tasks (clerk, leaders, unit heads) reach these pages."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role not in services.ENTRY_ROLES:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TaskCreateView(EntryRoleMixin, FormView):
    """A task entered by hand (clerk, leader or unit head)."""

    template_name = "tracking/task_form.html"
    form_class = TaskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            task = services.task_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.form_invalid(form)
        messages.success(self.request, _("The task has been entered."))
        return redirect("tracking:task_detail", pk=task.pk)


class TaskImportView(EntryRoleMixin, FormView):
    """Upload a sheet of tasks; a sheet with mistakes is refused whole, each mistake listed."""

    template_name = "tracking/task_import.html"
    form_class = ImportForm

    def form_valid(self, form):
        try:
            tasks = tasks_import(user=self.request.user, file=form.cleaned_data["file"])
        except ImportRefused as refused:
            return self.render_to_response(self.get_context_data(
                form=form, errors=[str(error) for error in refused.errors]
            ))
        messages.success(self.request, _("%(count)d tasks imported.") % {"count": len(tasks)})
        return redirect("tracking:index")


class ImportTemplateView(EntryRoleMixin, View):
    def get(self, request):
        return _xlsx(template_write(), "mau-nhap-nhiem-vu.xlsx")
