"""Who sees which processes and tasks of the flows: inbox, queue, archive, process lists.

viewflow's `TaskQuerySet.user_queue` loads every object permission of the user into Python
and filters with a large `IN (...)` list (2N+6 queries for N permission rows). Here the
queue is one query: a row IN over guardian's group object permissions of the user, matching
the permission and the object stored on each task, so its cost does not grow with the number
of processes or permission rows. Every list is also limited to the user's agency.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from guardian.models import GroupObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import Agency, Unit, User
from accounts.selectors import scope_to_agency, scoped_to_one_agency, user_agency_id

from .models import Assignment, DocumentProcess
from .selectors import document_list_for

# What a task row needs to be shown without further queries.
TASK_RELATED = (
    "process", "process__documentprocess", "process__documentprocess__document", "owner"
)


def _flow_tasks(*, user: User, flow_classes) -> QuerySet:
    tasks = Task.objects.filter(flow_task_type="HUMAN")
    if flow_classes is not None:
        tasks = tasks.filter(process__flow_class__in=list(flow_classes))
    return scope_to_agency(tasks, user=user, field="process__documentprocess__agency")


class _RowIn(Func):
    """`(a, b, c) IN (SELECT x, y, z ...)`: a row of columns found among a subquery's rows.

    PostgreSQL plans an uncorrelated row IN as a join it may drive from the subquery's few
    rows, where a correlated EXISTS is checked row by row on whatever the rest of the query
    scans first. (SQLite understands row values since 3.15.)
    """

    output_field = BooleanField()

    def __init__(self, columns, queryset):
        super().__init__(*columns, Subquery(queryset))

    def as_sql(self, compiler, connection, **extra_context):
        *columns, subquery = self.get_source_expressions()
        sql, params = [], []
        for column in columns:
            column_sql, column_params = compiler.compile(column)
            sql.append(column_sql)
            params.extend(column_params)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return f"({', '.join(sql)}) IN {subquery_sql}", (*params, *subquery_params)


def task_queue_for(*, user: User, flow_classes=None) -> QuerySet:
    """Open tasks nobody has taken that the user's groups may take (“Việc chờ nhận”).

    A task is open to the groups holding its permission on its object (the agency or the
    unit stored on the task). The match is one row IN over the user's group permissions
    (a handful of rows), so PostgreSQL starts from them and reads only the matching NEW
    tasks through the (content type, object, status) index of migration 0005, however many
    processes the other agencies have. The owner is not joined: queued tasks have none, and
    every relation less keeps the query within what PostgreSQL's planner reorders freely.
    """
    tasks = _flow_tasks(user=user, flow_classes=flow_classes).filter(
        status=STATUS.NEW, owner__isnull=True
    )
    related = [name for name in TASK_RELATED if name != "owner"]
    if user.is_superuser:
        return tasks.select_related(*related)
    return tasks.filter(_queue_match(user)).select_related(*related)


def _queue_match(user: User) -> "_RowIn":
    """The task's (permission object, permission) is among the user's group grants.

    Only the grants on the user's agency and its units can match: the lists hold that
    agency's tasks only. Read so, a leader whose groups hold a thousand grants across the
    province still matches against a handful of rows.
    """
    units = scope_to_agency(Unit.objects.all(), user=user).annotate(
        pk_text=Cast("pk", CharField())
    ).values("pk_text")
    granted = _group_grants(user=user).filter(
        Q(content_type=ContentType.objects.get_for_model(Agency),
          object_pk=str(user_agency_id(user)))
        | Q(content_type=ContentType.objects.get_for_model(Unit), object_pk__in=units)
    ).values_list("content_type_id", "object_pk", "name")
    columns = (
        "owner_permission_content_type_id", "owner_permission_obj_pk", "owner_permission"
    )
    return _RowIn([F(column) for column in columns], granted)


def task_open_to(*, user: User, task: Task) -> bool:
    """Whether `user` may take `task`: the queue's rule for one task, in one query.

    The task's permission must be granted to one of the user's groups on the object stored
    on the task (permissions are given to groups, never to single people), which is also
    what puts the task in the user's queue.
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _grants_matching(
        user=user,
        content_type_id=task.owner_permission_content_type_id,
        object_pk=task.owner_permission_obj_pk,
        name=task.owner_permission,
    ).exists()


def task_open_to_expression(*, user: User):
    """`task_open_to` for each row of a Task queryset, as an expression to annotate it
    with (a step reads it with the task it locks: one statement less)."""
    if not user.is_active:
        return Value(False)
    if user.is_superuser:
        return Value(True)
    return Exists(_grants_matching(
        user=user,
        content_type_id=OuterRef("owner_permission_content_type_id"),
        object_pk=OuterRef("owner_permission_obj_pk"),
        name=OuterRef("owner_permission"),
    ))


def _grants_matching(*, user: User, content_type_id, object_pk, name) -> QuerySet:
    return _group_grants(user=user).filter(
        content_type_id=content_type_id, object_pk=object_pk, name=name
    )


def task_candidates(*, task: Task) -> QuerySet:
    """The active people who find `task` in their queue: the inverse of `task_open_to`.

    Members of the groups holding the task's permission on the object stored on the task;
    one query. Superusers, who see every queue, are not counted in.
    """
    grant = task_queue_grant(task=task)
    return permission_holders(**grant) if grant else User.objects.none()


def task_queue_grant(*, task: Task) -> dict | None:
    """What opens `task` to a queue, as `permission_holders` takes it; None for a task
    stored with no permission (assigned, or open to nobody)."""
    if (not task.owner_permission or task.owner_permission_content_type_id is None
            or task.owner_permission_obj_pk is None):
        return None
    app_label, codename = task.owner_permission.split(".", 1)
    return {
        "content_type_id": task.owner_permission_content_type_id,
        # A task just created holds the object's key as it was given (an integer).
        "object_pk": str(task.owner_permission_obj_pk),
        "app_label": app_label,
        "codename": codename,
    }


def permission_holders(
    *, content_type_id: int, object_pk: str, app_label: str, codename: str
) -> QuerySet:
    """The active members of the groups holding the permission `app_label.codename` on the
    object (`content_type_id`, `object_pk`) through guardian, in the order of their ids."""
    groups = GroupObjectPermission.objects.filter(
        content_type_id=content_type_id,
        object_pk=object_pk,
        permission__content_type__app_label=app_label,
        permission__codename=codename,
    ).values("group_id")
    return User.objects.filter(is_active=True, groups__in=groups).distinct().order_by("pk")


def _group_grants(*, user: User) -> QuerySet:
    """guardian's object permissions of the user's groups, with `name` ("app.codename")."""
    return GroupObjectPermission.objects.filter(
        group_id__in=User.groups.through.objects.filter(user_id=user.pk).values("group_id")
    ).annotate(
        name=Concat("permission__content_type__app_label", Value("."), "permission__codename")
    )


def task_inbox_for(*, user: User, flow_classes=None) -> QuerySet:
    """Tasks taken by or assigned to the user and not done yet (“Việc của tôi”)."""
    return (
        _flow_tasks(user=user, flow_classes=flow_classes)
        .filter(owner=user, status__in=(STATUS.ASSIGNED, STATUS.STARTED))
        .select_related(*TASK_RELATED)
    )


def task_archive_for(*, user: User, flow_classes=None) -> QuerySet:
    """Tasks the user finished (“Đã xử lý”), and those of their queue cancelled before
    anyone took them (a supporting unit's opinion once the reply was issued), so that the
    list can say why."""
    tasks = _flow_tasks(user=user, flow_classes=flow_classes).filter(finished__isnull=False)
    mine = Q(owner=user)
    if not user.is_superuser:
        mine |= Q(_queue_match(user), status=STATUS.CANCELED, owner__isnull=True)
    return tasks.filter(mine).select_related(*TASK_RELATED)


def process_list_for(*, user: User, flow_classes=None) -> QuerySet:
    """Processes the user may see: those of documents they may see, or they took part in.

    Leaders and clerks see every process of their agency; others see their unit's and their
    own (the document selectors decide), plus any process where a task was theirs.
    """
    processes = DocumentProcess.objects.all()
    if flow_classes is not None:
        processes = processes.filter(flow_class__in=list(flow_classes))
    processes = scope_to_agency(processes, user=user)
    if not scoped_to_one_agency(user):
        return processes
    took_part = Task.objects.filter(process_id=OuterRef("pk"), owner=user)
    return processes.filter(
        Q(document__in=document_list_for(user=user).values("pk")) | Exists(took_part)
    )


def task_list_for(*, user: User, flow_classes=None) -> QuerySet:
    """Every task of the processes the user may see."""
    tasks = Task.objects.all()
    if flow_classes is not None:
        tasks = tasks.filter(process__flow_class__in=list(flow_classes))
    if user.is_superuser:
        return tasks.select_related(*TASK_RELATED)
    return tasks.filter(
        process__in=process_list_for(user=user, flow_classes=flow_classes).values("pk")
    ).select_related(*TASK_RELATED)


def task_visible_to(*, user: User, task_pk: int, process_pk: int, flow_class) -> bool:
    """Whether a task URL (process and task pks) is one the user may open at all.

    The task must belong to that process of that flow, in the user's agency, and the user
    may see the process, own the task, or find it in their queue.
    """
    tasks = Task.objects.filter(pk=task_pk, process_id=process_pk)
    return (
        tasks.filter(
            Q(process__in=process_list_for(user=user, flow_classes=[flow_class]).values("pk"))
            | Q(owner=user)
        ).exists()
        or task_queue_for(user=user, flow_classes=[flow_class])
        .filter(pk=task_pk, process_id=process_pk)
        .exists()
    )


def task_get_for(*, user: User, pk: int) -> Task:
    """One task the user may open: theirs, in their queue, or of a process they may see;
    Task.DoesNotExist otherwise (another agency's task is a 404)."""
    visible = (
        Q(pk__in=task_list_for(user=user).values("pk"))
        | Q(pk__in=task_queue_for(user=user).values("pk"))
        | Q(owner=user)
    )
    return Task.objects.filter(visible, pk=pk).select_related(*TASK_RELATED).get()


def tasks_with_deadline(tasks: QuerySet) -> QuerySet:
    """`tasks` with `due_at` and `due_completed_at`: the latest direction given on the task's
    document, or on the request it answers (a reply is due when the request is), in the same
    query; both None before any direction."""
    latest = Assignment.objects.filter(
        Q(document_id=OuterRef("process__documentprocess__document_id"))
        | Q(document_id=OuterRef("process__documentprocess__document__responds_to_id"))
    ).order_by("-created_at", "-pk")
    return tasks.annotate(
        due_at=Subquery(latest.values("due_at")[:1]),
        due_completed_at=Subquery(latest.values("completed_at")[:1]),
    )
