"""The two flows in viewflow's Material frontend, with every page scoped to the user.

viewflow's own pages list every process and task of a flow to anyone who may view the flow,
and its task URLs load a task by pk alone. Here every list reads from `workflows.queues`
(agency first, then the document rules), and every URL naming a process or a task is
checked before viewflow's view runs: another agency's process or task is a 404, whether
listed or typed. A step already done answers with a message instead of a bare 403.
"""

from functools import update_wrapper

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Window
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateRangeFilter, FilterSet
from viewflow import viewprop
from viewflow.workflow import STATUS, flow
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.models import Task

from accounts.models import User
from accounts.selectors import user_agency_id
from common.compiled import CompiledOnce

from . import queues
from .flows import IncomingFlow, OutgoingFlow
from .selectors import task_sheet_for
from .views.base import task_label

# A row names its document by number and summary: its texts (the body, the search columns
# with the text of its files, tens of kilobytes) stay in the database.
_DOCUMENT_TEXTS = tuple(
    f"process__documentprocess__document__{name}"
    for name in ("body", "search_head", "search_body", "search_files")
)
# The inbox's and the queue's rows read only what they show (the step, its arrival, the
# document's number and summary) and the keys of their addresses: building the other
# columns of four tables (about eighty) was a tenth of a page's time.
_ROW_FIELDS = (
    "flow_task", "created", "process__documentprocess__document__notation",
    "process__documentprocess__document__summary",
    # The inbox's list joins the owner (`queues.TASK_RELATED`); the rows read only its key.
    "owner__id",
)
# Stand-ins for a task's keys in a URL reversed once per page and step (`_task_url`).
_PROCESS_KEY, _TASK_KEY = "987654321001", "987654321002"


class TaskColumnsMixin:
    """Task rows named by their document, the whole row opening the task; built from the
    rows' joined data (no query per row)."""

    template_name = "workflows/task_rows.html"
    columns = ("task", "arrived")

    def _task_url(self, task, name: str) -> str:
        """The address of `task`'s `name` view. Resolving an address was a third of a row's
        cost: it is resolved once per step on the page, the row's keys put in after."""
        urls = self.__dict__.setdefault("_task_urls", {})
        if (task.flow_task, name) not in urls:
            urls[(task.flow_task, name)] = task.flow_task.reverse(
                name, args=[_PROCESS_KEY, _TASK_KEY]
            )
        return urls[(task.flow_task, name)].replace(_PROCESS_KEY, str(task.process_id)).replace(
            _TASK_KEY, str(task.pk)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["table_rows"] = self.table_rows(context["page_obj"] or context["object_list"])
        return context

    def table_rows(self, tasks) -> str:
        """The rows of `tasks` as HTML, each column looked up once for the page: viewflow's
        list asks a column its type, whether it is a boolean and whether it links the
        object again for every cell, and its template renders every cell on its own. None
        of these columns is a boolean or linked by viewflow (a task has no
        `get_absolute_url`; the task column links itself). A text value is shown as it is
        (viewflow's formatting of a text is the text); a date or a model field is formatted
        by its column, as viewflow does. Each cell's value is escaped unless safe, as
        `format_html` would; the markup around it is joined as text, the cells' opening tags
        made once per page (a `format_html` per cell and row was a third of the rows' time)."""
        cell_tags = [
            (format_html('<td class="vf-list__table-cell-{}">', column.column_type()), column)
            for column in self.list_columns.values()
        ]

        def cell(column, task):
            value = column.get_value(task)
            return value if isinstance(value, str) else column.format_value(task, value)

        return mark_safe("".join(
            f'<tr data-row-id="{int(task.pk)}">'
            + "".join(f"{tag}{conditional_escape(cell(column, task))}</td>"
                      for tag, column in cell_tags)
            + "</tr>"
            for task in tasks
        ))

    def task(self, task):
        url = self._task_url(task, "index")
        label = task_label(task, task.process.documentprocess.document)
        return format_html('<a class="lt-row__link" href="{}">{}</a>', url, label)

    task.short_description = _("Task")

    def arrived(self, task):
        """When the work came to the person or the queue: the task's creation, under a header
        saying so (viewflow's “Created” was read as the document's date)."""
        return task.created

    arrived.short_description = _("Arrived")
    arrived.orderby_column = "created"

    def due(self, task):
        """The hạn xử lý (dd/mm/yyyy), in red once passed while the direction is still open."""
        if task.due_at is None:
            return ""
        day = date_format(timezone.localtime(task.due_at), "d/m/Y")
        if task.due_completed_at is None and task.due_at < timezone.now():
            return format_html('<span class="lt-row__overdue">{}</span>', day)
        return day

    due.short_description = _("Deadline")


class TaskListFilter(FilterSet):
    """The inbox's and the queue's filters: the step and the day the task was created.

    viewflow's own filter also offers every process of the list in a drop-down, read with
    a query over the whole list and rendered as one option per process on every page
    (thousands for a busy agency), and reads which steps the list holds with another query.
    Here the steps are the flow's human steps, named by their titles: no query.
    """

    flow_task = ChoiceFilter()
    # django-filter's own labels have no Vietnamese catalog (“Yesterday” stayed English).
    # Named as the list's column names the same moment (“Đến lúc”), not the model's “created”.
    created = DateRangeFilter(label=_("Arrived"), choices=[
        ("today", _("Today")),
        ("yesterday", _("Yesterday")),
        ("week", _("Past 7 days")),
        ("month", _("This month")),
        ("year", _("This year")),
    ])

    class Meta:
        model = Task
        fields = ("flow_task", "created")

    def __init__(self, *args, flow_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flow_task"].field.choices = [
            (get_task_ref(node), node.task_title)
            for node in flow_class.instance.nodes()
            if isinstance(node, flow.View)
        ]


# The lists counted by the flow menu's badges.
_BADGE_LISTS = {"inbox": queues.task_inbox_for, "queue": queues.task_queue_for}
# The inbox's and the queue's order unless the person sorts by a column.
_LIST_ORDER = ("-created",)


def _plain_list(*, shape: tuple, user_pk: int, agency_pk: int) -> QuerySet:
    """The plain `name` list ("inbox" or "queue") of `flow_class` for the person `user_pk`
    of agency `agency_pk`, `shape` being (flow_class, name, whether a superuser)."""
    flow_class, name, is_superuser = shape
    user = User(pk=user_pk, agency_id=agency_pk, is_superuser=is_superuser)
    return _BADGE_LISTS[name](user=user, flow_classes=[flow_class])


def _page_rows(tasks: QuerySet) -> QuerySet:
    """The rows of a list as its page shows them: the columns shown, with the deadline."""
    return queues.tasks_with_deadline(tasks).only(*_ROW_FIELDS)


def _plain_list_counted(**values) -> QuerySet:
    """The plain list as the menu's badge counts it: its keys, without its rows' joins
    nor order."""
    return _plain_list(**values).select_related(None).order_by().values("pk")


def _plain_list_page(**values) -> QuerySet:
    """The plain list's rows in their order, each with the whole list's count."""
    return _page_rows(_plain_list(**values)).order_by(*_LIST_ORDER).annotate(
        list_count=Window(Count("*"))
    )


_LIST_COUNT_STATEMENT = CompiledOnce(_plain_list_counted)
_LIST_PAGE_STATEMENT = CompiledOnce(_plain_list_page)


class CompiledTaskList:
    """A person's plain inbox or queue (no filter, search or sort asked), read by statements
    compiled once: its count (the menu's badge) and its pages, each row with the whole
    list's count. Building and compiling the list's queries (a leader's match over a
    thousand grants, the deadline's subqueries) took a fifth of a page's time, twice: the
    page and the other list's badge. The statements are the ORM's own, built by the same
    functions as a filtered list's (`workflows.queues`)."""

    model = Task
    ordered = True

    def __init__(self, *, user, flow_class, name: str):
        # Someone outside every agency, not a superuser, has an empty list (scope_to_agency).
        self._values = (
            {"shape": (flow_class, name, user.is_superuser), "user_pk": user.pk,
             "agency_pk": user.agency_id or 0}
            if user.is_superuser or user_agency_id(user) is not None else None
        )

    def count(self) -> int:
        return _LIST_COUNT_STATEMENT.count(**self._values) if self._values else 0

    def counted_rows(self, bottom: int, top: int) -> list[Task]:
        """The rows from `bottom` to `top`, each with `list_count`, the whole list's."""
        if not self._values:
            return []
        return _LIST_PAGE_STATEMENT.all(limit=top - bottom, offset=bottom, **self._values)

    def __getitem__(self, rows: slice) -> list[Task]:
        return self.counted_rows(rows.start or 0, rows.stop)


def _task_list(request, flow_class, name: str) -> CompiledTaskList:
    """The user's plain `name` list ("inbox" or "queue") of `flow_class`, once per request:
    the menu's badge counts it and the inbox or queue page shows its rows."""
    lists = request.__dict__.setdefault("_task_lists", {})
    if (flow_class, name) not in lists:
        lists[(flow_class, name)] = CompiledTaskList(
            user=request.user, flow_class=flow_class, name=name
        )
    return lists[(flow_class, name)]


def _badge(request, flow_class, name: str) -> int:
    """The number on the flow menu's `name` badge ("inbox" or "queue"), counted once per
    request: the inbox and the queue pages show it as their own list's count too."""
    badges = request.__dict__.setdefault("_task_badges", {})
    if (flow_class, name) not in badges:
        badges[(flow_class, name)] = _task_list(request, flow_class, name).count()
    return badges[(flow_class, name)]


class CountedPagePaginator(Paginator):
    """Reads a page's rows and the whole list's count in one statement (`COUNT(*) OVER ()`
    on each row of the page) instead of a count and then the rows. A queue's count goes
    through the same match of the user's grants as its rows: counted apart, it was a third
    of the database's work for a leader's queue page, and one more statement to build."""

    def page(self, number):
        if "count" in self.__dict__ or self.orphans:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if number < 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = self._counted_rows(bottom, bottom + self.per_page)
        if rows:
            self.count = rows[0].list_count
        elif number == 1:
            self.count = 0  # an empty first page: an empty list
        else:
            return super().page(number)  # past the end: counted, then refused
        return self._get_page(rows, number, self)

    def _counted_rows(self, bottom: int, top: int) -> list:
        if isinstance(self.object_list, CompiledTaskList):
            return self.object_list.counted_rows(bottom, top)
        return list(self.object_list.annotate(list_count=Window(Count("*")))[bottom:top])


class TaskListMixin:
    """The inbox's and the queue's rows, filters, and row count shared with the menu."""

    filterset_class = TaskListFilter
    badge = None  # which of the menu's badges counts this list, unfiltered
    ordering = _LIST_ORDER
    # The ORM's list, set by `get_queryset` for a filtered, searched or sorted list only.
    # Otherwise viewflow reads `queryset` for nothing but its default order: `ordering`.
    queryset = None

    def get_queryset(self):
        """The plain list as the menu opens it (only a page asked) from the statements
        compiled once (`CompiledTaskList`); a filtered, searched or sorted one through the
        ORM, from the same list."""
        if set(self.request.GET) <= {self.page_kwarg}:
            # The filter's form only: nothing to filter (django-filter's default queryset,
            # never read).
            self.filterset = self.get_filterset(self.get_filterset_class(), queryset=None)
            return _task_list(self.request, self.flow_class, self.badge)
        user = self.request.user
        self.queryset = _page_rows(
            _BADGE_LISTS[self.badge](user=user, flow_classes=[self.flow_class])
        )
        return super().get_queryset()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "flow_class": self.flow_class}

    def get_paginator(self, queryset, *args, **kwargs):
        return CountedPagePaginator(queryset, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """The page, and the menu's badge for this list from the page's count when the list
        is not filtered (the badge and the page count the same rows)."""
        paginated = super().paginate_queryset(queryset, page_size)
        form = self.filterset.form
        filtered = self.filterset.is_bound and form.is_valid() and any(
            value not in (None, "") for value in form.cleaned_data.values()
        )
        if not filtered:
            badges = self.request.__dict__.setdefault("_task_badges", {})
            badges.setdefault((self.flow_class, self.badge), paginated[0].count)
        return paginated


class InboxView(TaskListMixin, TaskColumnsMixin, flow_views.FlowInboxListView):
    title = _("Inbox")
    columns = ("task", "arrived", "due")
    badge = "inbox"


class QueueView(TaskListMixin, TaskColumnsMixin, flow_views.FlowQueueListView):
    title = _("Queue")
    columns = ("task", "arrived", "due", "take")
    badge = "queue"

    @cached_property
    def _take_button(self) -> str:
        """The form's end, the same on every row: one CSRF token for the page (masking one
        draws 32 random characters) and the button."""
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button class="mdc-button mdc-button--outlined" type="submit">'
            '<span class="mdc-button__label">{}</span></button></form>',
            get_token(self.request),
            _("Take and handle"),
        )

    def take(self, task):
        """“Nhận và xử lý”: one click takes the task and opens its form."""
        return format_html(
            '<form class="lt-row__take" method="post" action="{}">{}',
            self._task_url(task, "assign"),
            self._take_button,
        )

    take.short_description = ""


class ArchiveView(TaskColumnsMixin, flow_views.FlowArchiveListView):
    title = _("Archive")
    columns = ("task", "finished", "outcome")

    def outcome(self, task):
        """Done, or cancelled and why (e.g. the reply was issued before the unit's opinion)."""
        if task.status == STATUS.CANCELED:
            reason = task.data.get("cancelled_because", "")
            return format_html("{}{}", _("Cancelled"), f": {reason}" if reason else "")
        return _("Done")

    outcome.short_description = _("Outcome")

    @viewprop
    def queryset(self):
        return queues.task_archive_for(
            user=self.request.user, flow_classes=[self.flow_class]
        ).defer(*_DOCUMENT_TEXTS).order_by("-finished")


class TaskListView(TaskColumnsMixin, flow_views.DashboardTaskListView):
    columns = ("task", "arrived", "owner")

    @viewprop
    def queryset(self):
        return queues.task_list_for(
            user=self.request.user, flow_classes=[self.flow_class]
        ).order_by("-created")


class ProcessListView(flow_views.DashboardProcessListView):
    columns = ("process_id", "document", "created", "finished", "active_tasks")

    def document(self, process):
        return str(process.document)

    document.short_description = _("Document")

    def process_id(self, process):
        return super().process_id(process)

    process_id.short_description = _("Process no.")

    def active_tasks(self, process):
        return process.active_tasks_count

    active_tasks.short_description = _("Open tasks")

    def get_queryset(self):
        return (
            queues.process_list_for(user=self.request.user, flow_classes=[self.flow_class])
            .select_related("document")
            .annotate(active_tasks_count=Count("task", filter=Q(task__finished__isnull=True)))
            .order_by("-created")
        )


class ProcessDetailView(flow_views.DetailProcessView):
    """A process's steps, with the phiếu xử lý of its document beside them (instead of the
    process's own status, which reads “waiting” for as long as the process runs); “Cancel”
    only for whoever may cancel the process."""

    template_name = "workflows/process_detail.html"

    def get_queryset(self):
        return queues.process_list_for(user=self.request.user, flow_classes=[self.flow_class])

    def get_context_data(self, **kwargs):
        process = self.object
        kwargs["sheet"] = task_sheet_for(user=self.request.user, document=process.document)
        kwargs["can_cancel"] = self.flow_class.instance.has_manage_permission(
            self.request.user, obj=process
        )
        return super().get_context_data(**kwargs)


class DashboardView(flow_views.DashboardView):
    """The kanban of open tasks per step, limited to what the user may see, each card named
    by its document."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = queues.task_list_for(user=self.request.user, flow_classes=[self.flow_class])
        for column in context["columns"]:
            column["tasks"] = _labelled(visible.filter(
                Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=column["node"]
            )[: self.MAX_ROWS])
        # A finished process is named by its document alone: its end step says nothing.
        context["finished"] = _labelled(visible.filter(
            finished__isnull=False, flow_task__in=context["end_nodes"]
        )[: self.MAX_ROWS], step=False)
        return context


def _labelled(tasks, *, step: bool = True) -> list[Task]:
    """The kanban's cards named like the queue rows (“Chỉ đạo xử lý – 02-CV/HU – V/v …”)."""
    tasks = list(tasks)
    for task in tasks:
        document = task.process.documentprocess.document
        task.label = task_label(task, document) if step else str(document)
    return tasks


class BulkAssignView(flow_views.BulkAssignTasksActionView):
    def get_queryset(self):
        self.queryset = queues.task_queue_for(user=self.request.user)
        return super().get_queryset()


class BulkUnassignView(flow_views.BulkUnassignTasksActionView):
    def get_queryset(self):
        self.queryset = queues.task_inbox_for(user=self.request.user)
        return super().get_queryset()


def _scoped(view, flow_class):
    """Wrap a URL's view: its process and task must be visible to the user (else 404)."""

    def scoped_view(request, *args, **kwargs):
        process_pk, task_pk = kwargs.get("process_pk"), kwargs.get("task_pk")
        user = request.user
        if process_pk is not None:
            if task_pk is not None:
                visible = queues.task_visible_to(
                    user=user, task_pk=task_pk, process_pk=process_pk, flow_class=flow_class
                )
            else:
                visible = (
                    queues.process_list_for(user=user, flow_classes=[flow_class])
                    .filter(pk=process_pk)
                    .exists()
                )
            if not visible:
                raise Http404(_("No such process or task."))
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            if task_pk is None:
                raise
            task = Task.objects.filter(pk=task_pk).select_related("owner").first()
            if task is None:
                raise
            if task.status in (STATUS.DONE, STATUS.CANCELED):
                messages.warning(request, _("This task has already been completed."))
                return redirect(
                    flow_class.instance.reverse("process_detail", args=[process_pk])
                )
            if _taken_by_another(task, user):
                # Two people of a queue pressing “Nhận và xử lý” on the same row: the second
                # lost a race, not a permission, and goes back to the queue to pick another.
                messages.warning(
                    request,
                    _("%(person)s has just taken this task.")
                    % {"person": task.owner.get_full_name() or task.owner.get_username()},
                )
                return redirect(flow_class.instance.reverse("queue"))
            raise

    return update_wrapper(scoped_view, view)


def _taken_by_another(task, user) -> bool:
    """Whether `task` is in someone else's hands although `user` could have taken it."""
    return (
        task.status in (STATUS.ASSIGNED, STATUS.STARTED)
        and task.owner_id not in (None, user.pk)
        and queues.task_open_to(user=user, task=task)
    )


def _scope_patterns(patterns, flow_class):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _scope_patterns(pattern.url_patterns, flow_class)
        elif isinstance(pattern, URLPattern):
            pattern.callback = _scoped(pattern.callback, flow_class)
    return patterns


class DocumentFlowAppViewset(FlowAppViewset):
    """A flow as an application of the site, every page scoped to the user's agency."""

    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    task_list_view_class = TaskListView
    process_list_view_class = ProcessListView
    process_detail_view_class = ProcessDetailView
    dashboard_view_class = DashboardView
    tasks_assign_view_class = BulkAssignView
    tasks_unassign_view_class = BulkUnassignView

    def _get_urls(self):
        return _scope_patterns(super()._get_urls(), self._flow_class)

    def get_context_data(self, request):
        """The menu's badges (only their `count` is shown)."""
        return {
            "user_inbox": {"count": _badge(request, self._flow_class, "inbox")},
            "user_queue": {"count": _badge(request, self._flow_class, "queue")},
        }


class IncomingFlowApp(DocumentFlowAppViewset):
    icon = "move_to_inbox"

    def __init__(self, **kwargs):
        super().__init__(IncomingFlow, **kwargs)


class OutgoingFlowApp(DocumentFlowAppViewset):
    icon = "outbox"

    def __init__(self, **kwargs):
        super().__init__(OutgoingFlow, **kwargs)
