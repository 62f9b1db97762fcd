"""Tracked tasks (theo dõi nhiệm vụ): every task an agency was given, followed to the end.

A task comes from a leader's direction of an incoming document (kept in step with its
`workflows.Assignment`), or is entered by hand or imported from a sheet (a line of a work
programme, a meeting conclusion). Its status is never stored: it follows from the dates
(`assigned_on`, `due_on`, `completed_on`, `blocked_on`) as of the day asked about, so the
statistics of any past day can be recomputed in the database.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Unit


class Category(models.Model):
    """A kind of task (Nhiệm vụ UBND tỉnh giao, Chương trình công tác…), edited in the admin."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("task category")
        verbose_name_plural = _("task categories")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    """Where a task stands on a given day; computed, never stored (see `TrackedTask.status_on`)."""

    FINISHED_ON_TIME = "on_time", _("Finished on time")
    FINISHED_LATE = "late", _("Finished late")
    IN_PROGRESS = "in_progress", _("In progress, within the deadline")
    OVERDUE = "overdue", _("In progress, overdue")
    BLOCKED = "blocked", _("Blocked")
    NO_DEADLINE = "no_deadline", _("No deadline")


class TrackedTask(models.Model):
    """One task of an agency: who leads it, who handles it, by when, and how it ended.

    `due_on` is the deadline in force (moved to a working day, and moved again by an accepted
    extension); `original_due_on` is the first one, kept for the statistics. A task finished
    any time on its deadline day is on time (the deadline is a day, as the leader wrote it).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="tracked_tasks"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )
    assignment = models.OneToOneField(
        "workflows.Assignment", verbose_name=_("leader's direction"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="tracked_task",
    )
    content = models.TextField(_("content"))
    giving_body = models.CharField(_("given by"), max_length=255, blank=True)
    source_notation = models.CharField(_("document number and symbol"), max_length=100,
                                       blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="tracked_tasks"
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name=_("supporting units"), blank=True, related_name="supported_tasks"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="tracked_tasks",
    )
    directed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("directed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="directed_tasks",
        help_text=_("The leader who decides on deadline extensions."),
    )
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    original_due_on = models.DateField(_("original deadline"), null=True, blank=True)
    completed_on = models.DateField(_("finished on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    blocked_on = models.DateField(_("blocked since"), null=True, blank=True)
    blocked_reason = models.TextField(_("why it is blocked"), blank=True)
    deadline = models.OneToOneField(
        "notifications.Deadline", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tracked_task",
        help_text=_("The reminders of this task are counted from here."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("tracked task")
        verbose_name_plural = _("tracked tasks")
        ordering = ["-assigned_on", "-pk"]
        indexes = [
            models.Index(fields=["agency", "assigned_on"], name="task_agency_assigned"),
            models.Index(fields=["lead_unit", "assigned_on"], name="task_unit_assigned"),
            models.Index(fields=["handler", "assigned_on"], name="task_handler_assigned"),
            # The blocked list and the leader's view of it read only the few blocked rows.
            models.Index(fields=["agency", "due_on"], condition=models.Q(blocked_on__isnull=False),
                         name="task_blocked_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(blocked_on__isnull=True, blocked_reason="")
                | (models.Q(blocked_on__isnull=False) & ~models.Q(blocked_reason="")),
                name="task_blocked_has_reason",
            ),
        ]

    def __str__(self):
        return self.content[:80]

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def is_extended(self) -> bool:
        return self.due_on != self.original_due_on

    def status_on(self, day: datetime.date) -> Status:
        """The task's status as of `day`; the same rule the statistics apply in the database.

        No deadline: counted apart whatever happened. Finished by `day`: on time when
        finished on or before the deadline day. Open: blocked when blocked by then (shown
        apart with its reason, not hidden among the overdue), overdue once the deadline
        day has passed.
        """
        if self.due_on is None:
            return Status.NO_DEADLINE
        if self.completed_on is not None and self.completed_on <= day:
            if self.completed_on <= self.due_on:
                return Status.FINISHED_ON_TIME
            return Status.FINISHED_LATE
        if self.blocked_on is not None and self.blocked_on <= day:
            return Status.BLOCKED
        return Status.OVERDUE if self.due_on < day else Status.IN_PROGRESS

    @property
    def status(self) -> Status:
        return self.status_on(timezone.localdate())


def report_file_path(instance, filename):
    return f"tracking/{instance.task.agency_id}/{instance.task_id}/{filename}"


class ProgressReport(models.Model):
    """The handler's word on how the task goes (báo cáo tiến độ), with an optional file."""

    task = models.ForeignKey(TrackedTask, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("progress"))
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=300, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class ExtensionRequest(models.Model):
    """A request to move a task's deadline, decided by the leader who directed it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for the leader")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    task = models.ForeignKey(TrackedTask, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="+",
    )
    current_due_on = models.DateField(_("deadline before"))
    requested_due_on = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decision_note = models.TextField(_("leader's note"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline extension request")
        verbose_name_plural = _("deadline extension requests")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open request at a time: the leader decides on one new date, not a queue.
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(decision="pending"),
                name="extension_one_pending_per_task",
            ),
        ]

    def __str__(self):
        return f"{self.task_id}: {self.requested_due_on:%d/%m/%Y}"


def export_file_path(instance, filename):
    # A random name: the file is reached only through the requester's download page.
    return f"tracking/exports/{instance.requested_by_id}/{uuid.uuid4().hex}.xlsx"


class TaskExport(models.Model):
    """An Excel task list a person asked for, written by the worker (a year of a province's
    tasks takes seconds: bench/RESULTS.md, "Excel export") and downloaded by that person only.

    `query` is the task list's query string as the page read it (explicit dates, so that the
    worker counts as of the same day whenever it runs).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
        related_name="+",
    )
    query = models.TextField(_("query"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    file = models.FileField(_("file"), upload_to=export_file_path, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Excel task list")
        verbose_name_plural = _("Excel task lists")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "created_at"],
                                name="task_export_requester")]

    def __str__(self):
        return self.filename or f"{self.pk}"
