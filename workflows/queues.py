"""Who sees which processes and tasks of the flows: inbox, queue, archive, process lists.

viewflow's `TaskQuerySet.user_queue` loads every object permission of the user into Python
and filters with a large `IN (...)` list (2N+6 queries for N permission rows). Here the
queue is one query: an EXISTS subquery on guardian's group object permissions, matching the
permission and the object stored on each task, so its cost does not grow with the number of
processes or permission rows. Every list is also limited to the user's agency.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from guardian.models import GroupObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import User

from .models import DocumentProcess
from .selectors import document_list_for

# What a task row needs to be shown without further queries.
TASK_RELATED = (
    "process", "process__documentprocess", "process__documentprocess__document", "owner"
)


def _flow_tasks(*, user: User, flow_classes) -> QuerySet:
    tasks = Task.objects.filter(flow_task_type="HUMAN")
    if flow_classes is not None:
        tasks = tasks.filter(process__flow_class__in=list(flow_classes))
    if user.is_superuser:
        return tasks
    if not user.is_authenticated or user.agency_id is None:
        return tasks.none()
    return tasks.filter(process__documentprocess__agency_id=user.agency_id)


def task_queue_for(*, user: User, flow_classes=None) -> QuerySet:
    """Open tasks nobody has taken that the user's groups may take (“Việc chờ nhận”)."""
    tasks = _flow_tasks(user=user, flow_classes=flow_classes).filter(
        status=STATUS.NEW, owner__isnull=True
    )
    if user.is_superuser:
        return tasks.select_related(*TASK_RELATED)
    granted = (
        GroupObjectPermission.objects.filter(
            group__user=user,
            content_type_id=OuterRef("owner_permission_content_type_id"),
            object_pk=OuterRef("owner_permission_obj_pk"),
        )
        .annotate(
            name=Concat(
                "permission__content_type__app_label", Value("."), "permission__codename"
            )
        )
        .filter(name=OuterRef("owner_permission"))
    )
    return tasks.filter(Exists(granted)).select_related(*TASK_RELATED)


def task_inbox_for(*, user: User, flow_classes=None) -> QuerySet:
    """Tasks taken by or assigned to the user and not done yet (“Việc của tôi”)."""
    return (
        _flow_tasks(user=user, flow_classes=flow_classes)
        .filter(owner=user, status__in=(STATUS.ASSIGNED, STATUS.STARTED))
        .select_related(*TASK_RELATED)
    )


def task_archive_for(*, user: User, flow_classes=None) -> QuerySet:
    """Tasks the user finished (“Đã xử lý”)."""
    return (
        _flow_tasks(user=user, flow_classes=flow_classes)
        .filter(owner=user, finished__isnull=False)
        .select_related(*TASK_RELATED)
    )


def process_list_for(*, user: User, flow_classes=None) -> QuerySet:
    """Processes the user may see: those of documents they may see, or they took part in.

    Leaders and clerks see every process of their agency; others see their unit's and their
    own (the document selectors decide), plus any process where a task was theirs.
    """
    processes = DocumentProcess.objects.all()
    if flow_classes is not None:
        processes = processes.filter(flow_class__in=list(flow_classes))
    if user.is_superuser:
        return processes
    if not user.is_authenticated or user.agency_id is None:
        return processes.none()
    took_part = Task.objects.filter(process_id=OuterRef("pk"), owner=user)
    return processes.filter(agency_id=user.agency_id).filter(
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
