"""Extensions of viewflow's nodes that the two flows need, and what keeps a step cheap.

One task row per step a person (or the waiting reply) takes: the gateways and the
automatic steps are passed in-line by the step before them, inside its transaction and
under its process lock, and leave no row of their own (`_Passed`). The flow graph, its
chart and BPMN picture are viewflow's, unchanged; the chart colours the nodes that have
rows. viewflow's activation API allows this because a node only has to answer
`_create(prev_activation, token)` with an activation whose `create_next` yields the next
ones: a passed node answers with the step's own (done) task, so the tasks it creates
follow that task and carry viewflow's tokens, and undo, revive and cancel work on the
rows that exist as before.

- `.Service(service, ...)` on a human task, a start or a wait names the services that do the
  node's work; each service then finds its node through `workflows.steps`, never by name.
- `View` checks the permission against the object stored on the task when it was created
  (the agency or unit), so a task keeps the audience it was given and no check depends on
  re-reading the process; a task without a permission is never open to everyone. Who may
  take a task is exactly who finds it in their queue (`queues.task_open_to`). Completing it
  writes the columns a step changes, not the whole row.
- Every new human task tells whoever is to do it (`services.notices.task_created`), in the
  transaction of the step that created it.
- `UnitTaskView` is a human task open to the members of the unit named in its task data.
- `If` decides with the process as the step left it; an error reaches the step's caller,
  whose transaction then rolls back whole.
- `Split.Next(..., data_source=)` creates one task per item (one per supporting unit, one per
  person asked for comments); viewflow 2.4's open-source Split accepts no data source.
- `Join` counts the branches still open in one query; `Join(..., on_cancel=)` tells whose
  branches it cancelled (viewflow cancels them silently).
- `Function` runs its callback in the step's transaction.
- `Handle.run_locked` runs a waiting task its caller has locked and read with its process.
- `StartHandle` starts a process inside its caller's transaction without locking the row it
  has just inserted (nobody else can see it before the commit) and without savepoints; the
  process's two rows and its start task are one INSERT.
- `End` keeps its row (the dashboard lists finished processes by it), written once, done,
  and finishes the process by updating its status and end time only, in its INSERT.
- On PostgreSQL a new task's row and its `task_previous` link are one statement, and a
  step's completion settles its notices in its UPDATE: rows as viewflow writes them, fewer
  round trips (`_task_insert`, `_update_sql`).
"""

from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef
from django.db.models.sql import InsertQuery, UpdateQuery
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from accounts.models import Unit
from common.compiled import CompiledOnce

from . import queues, steps
from .services import notices
from .sql import value_sql
from .views.base import TakeTaskView, TaskDetailView


def _task_insert(task, previous, along: tuple[str, tuple] | None = None) -> int:
    """Insert the new `task` and its link to `previous` (viewflow's `task.previous`) in one
    statement on PostgreSQL: the same rows as `task.save()` then `task.previous.add(previous)`,
    one round trip fewer per task created. `along`, an UPDATE of the caller's as (sql,
    params), runs in the same statement; returns how many rows it changed (0 without one).

    The task's id is new, so its link cannot exist yet (what `add`'s ON CONFLICT guards
    against). Nothing listens to the Task's save or m2m signals; other databases (the
    embedded SQLite) take viewflow's two statements, then `along`.
    """
    model = type(task)
    if task.flow_task and not task.flow_task_type:
        task.flow_task_type = task.flow_task.task_type
    using = router.db_for_write(model, instance=task)
    connection = connections[using]
    if connection.vendor != "postgresql":
        task.save(using=using)
        task.previous.add(previous)
        if along is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(*along)
            return cursor.rowcount
    meta = model._meta
    query = InsertQuery(model)
    query.insert_values([field for field in meta.local_concrete_fields if field is not meta.pk],
                        [task])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.pk]
    [(insert, params)] = compiler.as_sql()
    link = meta.get_field("previous").remote_field.through._meta
    quote = connection.ops.quote_name
    link_columns = (quote(link.get_field(name).column) for name in ("from_task", "to_task"))
    along_sql, along_params = along if along is not None else ("SELECT 1 WHERE false", ())
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new_task AS ({insert}), link AS ("
            f"INSERT INTO {quote(link.db_table)} ({', '.join(link_columns)}) "
            f"SELECT {quote(meta.pk.column)}, %s FROM new_task), "
            f"along AS ({along_sql}{' RETURNING 1' if along is not None else ''}) "
            f"SELECT {quote(meta.pk.column)}, (SELECT count(*) FROM along) FROM new_task",
            (*params, previous.pk, *along_params),
        )
        task.pk, changed = cursor.fetchone()
    task._state.adding = False
    task._state.db = using
    return changed


def _process_insert(process, start) -> None:
    """Insert a new `process` of a model with one parent table (DocumentProcess, stored in
    viewflow's `viewflow_process` and its own) and its `start` task in one statement on
    PostgreSQL: the parent's `INSERT … RETURNING id`, then the child's row and the task's
    with that id; the same rows as `process.save()` then `start.save()`. Nothing listens
    to their save signals; other databases take Django's statements."""
    model = type(process)
    meta = model._meta
    using = router.db_for_write(model, instance=process)
    connection = connections[using]
    if connection.vendor != "postgresql" or len(meta.parents) != 1 or process.pk is not None:
        process.save(using=using)
        start.process = process
        start.save(using=using)
        return
    [(parent, link)] = meta.parents.items()
    query = InsertQuery(parent)
    query.insert_values(
        [field for field in parent._meta.local_concrete_fields if not field.primary_key],
        [process],
    )
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [parent._meta.pk]
    [(parent_insert, params)] = compiler.as_sql()
    if start.flow_task and not start.flow_task_type:
        start.flow_task_type = start.flow_task.task_type
    task_meta = start._meta
    task_link = task_meta.get_field("process")
    quote = connection.ops.quote_name
    rows = []
    for obj, obj_meta, obj_link in ((process, meta, link), (start, task_meta, task_link)):
        fields = [
            field for field in obj_meta.local_concrete_fields
            if field is not obj_link and not field.primary_key
        ]
        values = []
        for field in fields:
            placeholder, value = value_sql(field, field.pre_save(obj, True), compiler, connection)
            values.append(placeholder)
            params = (*params, value)
        rows.append(
            f"INSERT INTO {quote(obj_meta.db_table)} "
            f"({', '.join(quote(field.column) for field in [obj_link, *fields])}) "
            f"SELECT {quote(parent._meta.pk.column)}, {', '.join(values)} FROM parent "
            f"RETURNING {quote(obj_meta.pk.column)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH parent AS ({parent_insert}), child AS ({rows[0]}), start AS ({rows[1]}) "
            f"SELECT {quote(parent._meta.pk.column)}, (SELECT * FROM start) FROM parent",
            params,
        )
        pk, start.pk = cursor.fetchone()
    setattr(process, parent._meta.pk.attname, pk)
    setattr(process, link.attname, pk)
    start.process = process
    for obj in (process, start):
        obj._state.adding = False
        obj._state.db = using


def _update_sql(obj, fields: list[str]) -> tuple[str, tuple]:
    """The UPDATE that `obj.save(update_fields=fields)` runs, as (sql, params), for a
    statement that does more in the same round trip; nothing listens to the save's signals
    of the models it is used for (viewflow's tasks)."""
    meta = obj._meta
    using = router.db_for_write(type(obj), instance=obj)
    query = type(obj)._base_manager.using(using).filter(pk=obj.pk).query.chain(UpdateQuery)
    query.add_update_fields([
        (meta.get_field(name), None, meta.get_field(name).pre_save(obj, False))
        for name in fields
    ])
    return query.get_compiler(using).as_sql()


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
        """viewflow's task with its audience (permission and object, or owner), inserted
        with its link to the previous task in one statement (`_task_insert`), then told."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        permission = flow_task.calc_owner_permission(activation)
        if permission:
            task.owner_permission = permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        _task_insert(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        notices.task_created(activation=activation)
        return activation

    _settle_on_completion = False

    @Activation.status.super()
    def assign(self, user, save=True):
        """`save=False` when the same transaction completes the task right away
        (`routing.task_perform`): the completion writes the owner with the rest of the row
        and settles the task's notices, one statement instead of three."""
        if save:
            super().assign.original(user)
            notices.task_finished(task=self.task)
        else:
            self.task.owner = user
            self._settle_on_completion = True

    def prepare_revived_task(self, task):
        """A task revived by a manager (viewflow copies its token and data only) goes to the
        same audience as the cancelled one: its queue's permission and object, and the
        person the node assigns it to, if any."""
        task.owner_permission = self.task.owner_permission
        task.owner_permission_content_type_id = self.task.owner_permission_content_type_id
        task.owner_permission_obj_pk = self.task.owner_permission_obj_pk
        owner = self.flow_task.calc_owner(type(self)(task))
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        # viewflow saves every column; a step changes these (the owner when it was taken in
        # the same transaction). A queue task taken earlier had its notices settled then.
        fields = ["status", "owner", "started", "finished"]
        if self._settle_on_completion or not self.task.owner_permission:
            notices.task_finished(task=self.task, along=_update_sql(self.task, fields))
        else:
            self.task.save(update_fields=fields)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class View(ServiceMixin, flow.View):
    """A human task whose audience is fixed when the task is created; taking it from the
    queue opens its form at once (“Nhận và xử lý”); its page once done shows the phiếu xử lý."""

    assign_view_class = TakeTaskView
    detail_view_class = TaskDetailView

    activation_class = NoticeViewActivation

    # Whether only a task made again after its work was returned is news to its owner
    # (`notices.task_created`), set by `.ToldOnlyWhenReturned()`.
    told_only_when_returned = False

    def ToldOnlyWhenReturned(self):
        """The first task goes to the person who has just started the work (a draft): only
        a task made again after the work was returned tells them."""
        self.told_only_when_returned = True
        return self

    def calc_owner_permission_obj(self, activation):
        if self._owner_permission_obj:
            return self._owner_permission_obj(activation.process)
        return None

    def can_assign(self, user, task):
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        if not task.owner_permission:
            return False
        if getattr(task, "open_to_pk", None) == user.pk:
            # Read for this user with the task, under the lock (`routing._StepLock`).
            return task.open_to
        # The queue's own rule (group permissions on the stored object), one query and no
        # load of the object.
        return queues.task_open_to(user=user, task=task)


class UnitTaskView(View):
    """A human task for the members of the unit whose pk is `task.data["unit"]`."""

    def calc_owner_permission_obj(self, activation):
        return Unit.objects.get(pk=activation.task.data["unit"])


class _Passed(Activation):
    """A node passed in-line, without a task row of its own.

    It stands in viewflow's chain of activations (`Activation._activate_next`) with the task
    of the step before it, which is done: only its `create_next` runs, so the tasks it
    creates follow that task (`previous`), carry the token the node was reached with, and
    share the process object the step has just changed (its `decision`).
    """

    def __init__(self, flow_task, prev_activation, token):
        self._node = flow_task
        self.task = prev_activation.task
        self.process = prev_activation.process
        self.token = token

    @property
    def flow_task(self):
        return self._node

    # Two nodes passed after the same task are two activations, not one.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def _next(self, node, token, data=None, seed=None):
        return node._create(
            self, token, data=data(self) if data else None, seed=seed(self) if seed else None
        )


class _IfPassed(_Passed):
    @Activation.status.super()
    def create_next(self):
        node = self.flow_task
        if node._condition(self):
            target, data, seed = node._on_true, node._on_true_data, node._on_true_seed
        else:
            target, data, seed = node._on_false, node._on_false_data, node._on_false_seed
        if target:
            yield self._next(target, self.token, data, seed)


class If(flow.If):
    """viewflow's exclusive gateway, decided in-line by the step before it: no task row,
    no savepoint (module doc). An error in the condition reaches the step's caller."""

    def _create(self, prev_activation, token, data=None, seed=None):
        return _IfPassed(self, prev_activation, token)


class _SplitPassed(_Passed):
    @Activation.status.super()
    def create_next(self):
        branches = []
        for node, case, data_source in self.flow_task._branches:
            if case and not case(self):
                continue
            if data_source is None:
                branches.append((node, None))
            else:
                branches.extend((node, item) for item in data_source(self))
        if not branches:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")
        # viewflow's split token, `<token>/<pk>_<n>`, with the pk of the task before the
        # split (unique in the process, as the split's own was); branches straight to a
        # join come last, as in viewflow, so the join finds the other branches open.
        tokens = Token.split_token_source(self.token, self.task.pk)
        for node, item in sorted(branches, key=lambda branch: isinstance(branch[0], flow.Join)):
            yield node._create(self, next(tokens), data=item)


class Split(flow.Split):
    """Parallel split passed in-line (no task row); a branch with `data_source` becomes
    one task per item of its list (viewflow 2.4's open-source Split accepts no data source)."""

    def _create(self, prev_activation, token, data=None, seed=None):
        return _SplitPassed(self, prev_activation, token)

    def Next(self, node, case=None, data_source=None):
        self._activate_next.append((node, case, data_source))
        return self


class _JoinPassed(_Passed):
    def __init__(self, flow_task, prev_activation, token, waiting):
        super().__init__(flow_task, prev_activation, token)
        self.waiting = waiting

    @Activation.status.super()
    def create_next(self):
        node = self.flow_task
        if (
            self.waiting
            and node._continue_on_condition
            and node._continue_on_condition(self, self.waiting)
        ):
            _cancel(self, self.waiting)
            self.waiting = []
        if not self.waiting:
            yield self._next(
                node._next, self.token.get_base_split_token(), node._task_data,
                node._task_seed,
            )


def _cancel(activation, tasks):
    """Cancel the branches a join no longer waits for, then tell whose they were."""
    activations = [task.flow_task.activation_class(task) for task in tasks]
    stuck = [branch for branch in activations if not branch.cancel.can_proceed()]
    if stuck:
        raise FlowRuntimeError("Can't cancel {}".format(",".join(str(a.task) for a in stuck)))
    for branch in activations:
        branch.cancel()
    if activation.flow_task._on_cancel is not None:
        activation.flow_task._on_cancel(activation, tasks)


class CancellingJoinActivation(JoinActivation):
    """viewflow's join row, for a process that reached its join before joins were passed
    in-line (its row is open): it reads its incoming tasks once per arriving branch."""

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
    """A join passed in-line by each arriving branch, with no task row of its own.

    Under the process lock, the branches still open are one query: the tasks of the split's
    token prefix not done, cancelled or revived. None open (or `continue_on_condition`
    true, which cancels them and runs `on_cancel(activation, tasks)` in the same
    transaction): the flow goes on from the arriving branch with the split's base token;
    otherwise the branch stops there and the last one to arrive goes on.
    """

    activation_class = CancellingJoinActivation

    def __init__(self, *args, on_cancel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._on_cancel = on_cancel

    def _resolve(self, cls):
        super()._resolve(cls)
        self._on_cancel = this.resolve(cls, self._on_cancel)

    def _create(self, prev_activation, token, data=None, seed=None):
        if not token.is_split_token():
            return super()._create(prev_activation, token, data=data, seed=seed)
        process = prev_activation.process
        prefix = "{}_".format(token.token.rsplit("_", 1)[0])
        # The process's unfinished tasks are few: read them all with a statement compiled
        # once, and keep the split's branches and this join's own row here.
        open_tasks = [
            task for task in _UNFINISHED_TASKS_STATEMENT.all(
                using=router.db_for_read(self.flow_class.task_class),
                shape=(self.flow_class.task_class,), process_pk=process.pk,
            )
            if task.token.token.startswith(prefix) or task.flow_task is self
        ]
        if any(task.flow_task is self for task in open_tasks):
            return super()._create(prev_activation, token, data=data, seed=seed)
        for task in open_tasks:
            task.process = process
        return _JoinPassed(self, prev_activation, token, open_tasks)


def _unfinished_tasks(*, shape: tuple, process_pk: int):
    (task_class,) = shape
    return task_class._default_manager.filter(process_id=process_pk).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]
    )


_UNFINISHED_TASKS_STATEMENT = CompiledOnce(_unfinished_tasks)


class _FunctionPassed(_Passed):
    @Activation.status.super()
    def create_next(self):
        node = self.flow_task
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        node._func(self)
        if node._next:
            yield self._next(node._next, self.token, node._task_data, node._task_seed)


class Function(flow.Function):
    """A callback run in-line by the step before it, in its transaction, without a task row
    or a savepoint: an error rolls the step back whole."""

    def _create(self, prev_activation, token, data=None, seed=None):
        return _FunctionPassed(self, prev_activation, token)


class LinkedHandleActivation(HandleActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """viewflow's waiting task, inserted with its link to the previous task in one
        statement (`_task_insert`)."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        _task_insert(task, prev_activation.task)
        return cls(task)


class Handle(ServiceMixin, flow.Handle):
    """viewflow's Handle (a wait that a service ends from Python), naming that service; run
    by a caller that already holds the process's lock."""

    activation_class = LinkedHandleActivation

    def run_locked(self, task, **kwargs):
        """Run the waiting `task`, read with its process under the process lock in the
        caller's transaction (`routing._waiting_task_locked`): no lock, re-read or
        savepoint of its own. Returns what the handle's function returns."""
        activation = self.activation_class(task)
        result = activation.run(this.resolve(self.flow_class.instance, self._func), **kwargs)
        activation.execute()
        return result


class FreshStartActivation(StartHandleActivation):
    @Activation.status.super()
    def execute(self):
        # viewflow's own start saves the process in a savepoint, then locks the row it has
        # just inserted; the caller's transaction is enough for a row nobody else sees yet.
        with transaction.atomic(savepoint=False):
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.complete()
            flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.activate_next()

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.DONE)
    def complete(self):
        """The start task done, inserted with its new process (`_process_insert`)."""
        self.task.finished = now()
        _process_insert(self.process, self.task)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class StartHandle(ServiceMixin, flow.StartHandle):
    """viewflow's StartHandle without the lock and savepoints of a new process (module doc)."""

    activation_class = FreshStartActivation


class End(flow.End):
    """viewflow's End, its row written once, already done (module doc)."""

    def _create(self, prev_activation, token, data=None, seed=None):
        process = prev_activation.process
        task_class = self.flow_class.task_class
        moment = now()
        task = task_class(
            process=process, flow_task=self, token=token, status=STATUS.DONE,
            started=moment, finished=moment,
        )
        task.data = data if data is not None else {}
        task.seed = seed
        # Finished when no other task is open: checked and written by one UPDATE of
        # viewflow's table (the steps saved their own fields; the end writes only its own),
        # in the statement that inserts the end's row (done, so never open itself).
        open_tasks = task_class._default_manager.filter(
            process=OuterRef("pk"), finished__isnull=True
        )
        finishing = (
            task_class.process.field.related_model._default_manager.filter(pk=process.pk)
            .exclude(Exists(open_tasks)).query.chain(UpdateQuery)
        )
        finishing.add_update_values({"status": PROCESS.DONE, "finished": moment})
        finished = bool(_task_insert(
            task, prev_activation.task,
            along=finishing.get_compiler(router.db_for_write(type(process))).as_sql(),
        ))
        task_started.send(sender=self.flow_class, process=process, task=task)
        if finished:
            process.status = PROCESS.DONE
            process.finished = moment
        task_finished.send(sender=self.flow_class, process=process, task=task)
        if finished:
            flow_finished.send(sender=self.flow_class, process=process, task=task)
        # Done already: viewflow's activation of the row only offers its undo.
        return self.activation_class(task)
