"""Small extensions of viewflow's nodes that the two flows need.

- `.Service(service, ...)` on a human task, a start or a wait names the services that do the
  node's work; each service then finds its node through `workflows.steps`, never by name.
- `View` checks the permission against the object stored on the task when it was created
  (the agency or unit), so a task keeps the audience it was given and no check depends on
  re-reading the process; a task without a permission is never open to everyone. Who may
  take a task is exactly who finds it in their queue (`queues.task_open_to`).
- `Split.Next(..., data_source=)` creates one task per item (one per supporting unit, one per
  person asked for comments); viewflow 2.4's open-source Split accepts no data source.
- Every new human task tells whoever is to do it (`services.notices.task_created`), in the
  transaction of the step that created it.
- `UnitTaskView` is a human task open to the members of the unit named in its task data.
- `Join(..., on_cancel=)` tells whose branches it cancelled (viewflow cancels them silently).
- `If` evaluates its condition without a savepoint of its own when an error is to reach the
  step's caller anyway (viewflow's default), whose transaction then rolls back whole.
- `StartHandle` starts a process inside its caller's transaction without locking the row it
  has just inserted (nobody else can see it before the commit) and without savepoints.
- `End` finishes the process by updating its status and end time only (one UPDATE of
  viewflow's table, not both tables of DocumentProcess), without a savepoint.
"""

from django.db import transaction
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import PROCESS

from accounts.models import Unit

from . import queues, steps
from .services import notices
from .views.base import TakeTaskView, TaskDetailView


class ServiceMixin:
    """`.Service(service, ...)`: the services doing this node's work, recorded in
    `workflows.steps` once the flow class has set the node up (viewflow copies each node
    into its flow class first)."""

    _services = ()

    def Service(self, *services):
        self._services = services
        return self

    def _ready(self):
        super()._ready()
        steps.node_runs(self, self._services)


class NoticeViewActivation(ViewActivation):
    """Creating the task tells its owner, or the people of its queue, that it is there;
    taking it from the queue or completing it marks those notices read, as nobody else has
    anything left to do about them."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        notices.task_created(activation=activation)
        return activation

    @Activation.status.super()
    def assign(self, user, save=True):
        """`save=False` when the same transaction completes the task right away
        (`routing.task_perform`): the completion writes the owner with the rest of the row,
        one UPDATE instead of two."""
        if save:
            super().assign.original(user)
        else:
            self.task.owner = user
        notices.task_finished(task=self.task)

    @Activation.status.super()
    def complete(self):
        super().complete.original()
        if not self.task.owner_permission:
            # A queue task's notices were settled when it was taken.
            notices.task_finished(task=self.task)


class View(ServiceMixin, flow.View):
    """A human task whose audience is fixed when the task is created; taking it from the
    queue opens its form at once (“Nhận và xử lý”); its page once done shows the phiếu xử lý."""

    assign_view_class = TakeTaskView
    detail_view_class = TaskDetailView

    activation_class = NoticeViewActivation

    def calc_owner_permission_obj(self, activation):
        if self._owner_permission_obj:
            return self._owner_permission_obj(activation.process)
        return None

    def can_assign(self, user, task):
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        if not task.owner_permission:
            return False
        # The queue's own rule (group permissions on the stored object), one query and no
        # load of the object.
        return queues.task_open_to(user=user, task=task)


class UnitTaskView(View):
    """A human task for the members of the unit whose pk is `task.data["unit"]`."""

    def calc_owner_permission_obj(self, activation):
        return Unit.objects.get(pk=activation.task.data["unit"])


class ForEachSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, case, data_source in self.flow_task._branches:
            if case and not case(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class Split(flow.Split):
    """Parallel split; a branch with `data_source` becomes one task per item of its list."""

    activation_class = ForEachSplitActivation

    def Next(self, node, case=None, data_source=None):
        self._activate_next.append((node, case, data_source))
        return self


class CancellingJoinActivation(JoinActivation):
    """viewflow's join activation reads its incoming tasks and its open branches again for
    each of its two condition checks and its completion; within one activation (one
    arriving branch, under the process lock) they do not change, so they are read once."""

    _prefixes = None
    _done = None

    def _join_token_prefixes(self):
        if self._prefixes is None:
            self._prefixes = super()._join_token_prefixes()
        return self._prefixes

    def is_done(self):
        if self._done is None:
            self._done = super().is_done()
        return self._done

    def cancel_active_tasks(self, active_tasks):
        tasks = list(active_tasks)
        super().cancel_active_tasks(tasks)
        if self.flow_task._on_cancel is not None:
            self.flow_task._on_cancel(self, tasks)


class Join(flow.Join):
    """A join whose `on_cancel(activation, tasks)` runs, in the same transaction, after
    `continue_on_condition` cancelled the branches still open; it reads its incoming tasks
    once per arriving branch."""

    activation_class = CancellingJoinActivation

    def __init__(self, *args, on_cancel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._on_cancel = on_cancel

    def _resolve(self, cls):
        super()._resolve(cls)
        self._on_cancel = this.resolve(cls, self._on_cancel)


class PlainIfActivation(IfActivation):
    @Activation.status.super()
    def activate(self):
        if not context.propagate_exception:
            # A background trigger keeps the gateway's error state: viewflow's savepoint.
            return super().activate.original()
        self._condition_result = self.flow_task._condition(self)


class If(flow.If):
    """viewflow's If gateway, without a savepoint pair per decision (see module doc)."""

    activation_class = PlainIfActivation


class FreshStartActivation(StartHandleActivation):
    @Activation.status.super()
    def execute(self):
        # viewflow's own start saves the process in a savepoint, then locks the row it has
        # just inserted; the caller's transaction is enough for a row nobody else sees yet.
        with transaction.atomic(savepoint=False):
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.process.save()
            self.complete()
            flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.activate_next()


class StartHandle(ServiceMixin, flow.StartHandle):
    """viewflow's StartHandle without the lock and savepoints of a new process (module doc)."""

    activation_class = FreshStartActivation


class Handle(ServiceMixin, flow.Handle):
    """viewflow's Handle (a wait that a service ends from Python), naming that service."""


class PlainEndActivation(EndActivation):
    @Activation.status.super()
    def activate(self):
        if not context.propagate_exception:
            # A background trigger keeps the end's error state: viewflow's savepoint.
            return super().activate.original()
        self.task.started = now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        others = self.flow_class.task_class._default_manager.filter(
            process=self.process, finished__isnull=True
        ).exclude(pk=self.task.pk)
        finished = not others.exists()
        if finished:
            self.process.status = PROCESS.DONE
            self.process.finished = now()
            # The steps saved their own fields; the end writes only its own.
            self.process.save(update_fields=["status", "finished"])
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
        if finished:
            flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class End(flow.End):
    """viewflow's End, writing only the process's status and end time (module doc)."""

    activation_class = PlainEndActivation
