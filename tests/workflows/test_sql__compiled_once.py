"""A statement compiled once (`common.compiled.CompiledOnce`) reads what the ORM would read.

The step's lock statement, a document's open task and a document locked for issuing (with
its recipients) are compiled once. Each runs over the rows of a real seed-000 story, the
step's lock for people of every shape (a leader, a clerk of another agency, a superuser, a
person no longer active); each answer is compared with the ORM's own evaluation of the same
queryset: the SQL and parameters, every field of the rows and of the objects read with
them, and the annotations.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.db.models import Q
from guardian.models import GroupObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.models import Agency, User
from common.compiled import CompiledOnce
from notifications.services import notice_people
from workflows import steps
from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Direction, Document, Register
from workflows.queues import task_candidates, task_queue_grant
from workflows.services.documents import _locked
from workflows.services.notices import _queue_people
from workflows.services.numbering import register_for
from workflows.services.routing import (
    _STEP_LOCK_STATEMENT,
    STEP_RELATED,
    _StepLock,
    _waiting_task_locked,
    open_task,
    reply_issued,
)
from workflows.story import seed000_play

from ..threads import at_once, race_test_marks

pytestmark = pytest.mark.django_db

READ_WITH_THE_TASK = [*STEP_RELATED, "artifact_assignment"]


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields}


def _related_chain(task: Task, path: str):
    if path == "artifact_assignment":  # a FilteredRelation's alias, not a field
        return getattr(task, path, None)
    instance = task
    for name in path.split("__"):
        if instance is None:
            return None
        assert type(instance)._meta.get_field(name).is_cached(instance), path
        instance = getattr(instance, name)
    return instance


def _people() -> list[User]:
    inactive = User.objects.get(username="hung.nv")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    superuser = get_user_model().objects.create_superuser(
        username="compiled-once-admin", email="admin@example.org", password="x"
    )
    return [User.objects.get(username="quyen.vt"), User.objects.get(username="vanthu.hu"),
            superuser, inactive]


def test_the_lock_statement_reads_what_the_orm_reads_for_every_task_and_person():
    seed000_play(out=lambda _text: None)
    tasks = list(Task.objects.filter(flow_task_type="HUMAN").order_by("pk"))
    compared = 0
    for user in _people():
        shape = (user.is_active, user.is_superuser)
        for task in tasks:
            values = {"task_pk": task.pk, "process_pk": task.process_id, "user_pk": user.pk}
            queryset = _StepLock.tasks(shape=shape, **values)
            (expected,) = queryset

            (read,) = _STEP_LOCK_STATEMENT.all(using="default", shape=shape, **values)

            assert _fields(read) == _fields(expected)
            assert read.open_to == expected.open_to
            for path in READ_WITH_THE_TASK:
                got, want = _related_chain(read, path), _related_chain(expected, path)
                assert (got is None) == (want is None), path
                if want is not None:
                    assert _fields(got) == _fields(want), path
            compared += 1
    assert compared == 4 * len(tasks) >= 4 * 10
    # The answers differ by person: the statement is not one person's, compiled for all.
    assert {_STEP_LOCK_STATEMENT.all(
        using="default", shape=(True, False), task_pk=tasks[1].pk,
        process_pk=tasks[1].process_id, user_pk=user.pk)[0].open_to
        for user in User.objects.filter(username__in=["quyen.vt", "vanthu.hu"])} == {True, False}


def test_the_bound_statement_is_the_one_the_orm_compiles():
    seed000_play(out=lambda _text: None)
    task = Task.objects.filter(flow_task_type="HUMAN").latest("pk")
    user = User.objects.get(username="mai.ht")
    values = {"task_pk": task.pk, "process_pk": task.process_id, "user_pk": user.pk}
    shape = (True, False)
    ran = []

    def record(execute, sql, params, many, context):
        ran.append((sql, tuple(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        _STEP_LOCK_STATEMENT.all(using="default", shape=shape, **values)
    sql, params = (
        _StepLock.tasks(shape=shape, **values).query.get_compiler("default").as_sql()
    )

    assert ran == [(sql, tuple(params))]


def test_a_value_that_does_not_reach_the_sql_as_a_parameter_is_refused():
    def build(*, shape, pk):
        # The value is written into the SQL text: one compiled statement cannot serve all.
        return Task.objects.filter(Q(pk=pk) | Q(flow_task_type=f"start/{pk}"))

    with pytest.raises(ValueError, match="belong in the shape"):
        CompiledOnce(build).all(using="default", pk=1)


def test_a_text_is_bound_as_a_parameter_like_an_integer():
    statement = CompiledOnce(lambda *, shape, username, agency: User.objects.filter(
        username=username, agency_id=agency
    ).order_by("pk"))
    people = {user.username: user for user in User.objects.filter(
        username__in=["quyen.vt", "mai.ht", "vanthu.hu"]
    )}

    for username, user in people.items():
        (read,) = statement.all(using="default", username=username, agency=user.agency_id)
        sql, params = statement.sql(using="default", username=username, agency=user.agency_id)

        assert _fields(read) == _fields(user)
        assert (sql, params) == User.objects.filter(
            username=username, agency_id=user.agency_id
        ).order_by("pk").query.sql_with_params()
    assert statement.all(using="default", username="nobody", agency=1) == []


def test_a_text_changed_on_its_way_to_the_sql_is_refused():
    def build(*, shape, fragment):
        # `contains` sends "%fragment%": a parameter made of the value, not the value.
        return User.objects.filter(username__contains=fragment)

    with pytest.raises(ValueError, match="belong in the shape"):
        CompiledOnce(build).sql(using="default", fragment="mai")
    with pytest.raises(TypeError, match="integers and texts"):
        CompiledOnce(build).sql(using="default", fragment=b"mai")


def test_a_queues_people_are_read_as_the_orm_reads_them():
    seed000_play(out=lambda _text: None)
    queued = 0
    for task in Task.objects.filter(flow_task_type="HUMAN").order_by("pk"):
        people = _queue_people(task)
        expected = notice_people(task_candidates(task=task))
        if task_queue_grant(task=task) is None:
            assert people is None and not expected.exists()
            continue
        queued += 1
        assert (people.sql, people.params) == expected.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(people.sql, people.params)
            rows = cursor.fetchall()
        assert rows == [tuple(row.values()) for row in expected]
    assert queued >= 5


def test_a_register_is_the_one_the_orm_finds_and_a_missing_one_is_created_once():
    seed000_play(out=lambda _text: None)
    agencies = list(Agency.objects.order_by("pk")[:3])
    for agency in agencies:
        for direction in Direction:
            for confidential in (False, True):
                expected = Register.objects.filter(
                    agency=agency, direction=direction, is_confidential=confidential
                ).first()

                register = register_for(
                    agency=agency, direction=direction, confidential=confidential
                )

                if expected is not None:
                    assert _fields(register) == _fields(expected)
                assert register_for(
                    agency=agency, direction=direction, confidential=confidential
                ).pk == register.pk
    assert Register.objects.filter(agency__in=agencies).count() == len(agencies) * 4


def test_a_documents_open_task_is_the_one_the_orm_finds():
    seed000_play(out=lambda _text: None)
    nodes = [IncomingFlow.register, IncomingFlow.handle, OutgoingFlow.draft,
             OutgoingFlow.comment, OutgoingFlow.issue]
    found = []
    for document in Document.objects.all():
        for node in nodes:
            expected = Task.objects.filter(
                process__documentprocess__document=document, flow_task=node,
                status__in=(STATUS.NEW, STATUS.ASSIGNED),
            ).order_by("-pk").first()
            task = open_task(document=document, node=node)
            assert (task and _fields(task)) == (expected and _fields(expected))
            found.append(task is not None)
    assert True in found and False in found


def test_a_requests_waiting_task_is_the_one_the_orm_locks():
    seed000_play(out=lambda _text: None)
    await_reply = steps.node_of(reply_issued)
    waited = Task.objects.filter(flow_task=await_reply).latest("pk")
    Task.objects.filter(pk=waited.pk).update(status=STATUS.ASSIGNED)
    for document in Document.objects.all():
        with transaction.atomic():
            expected = Task.objects.select_related(
                "process__documentprocess__document"
            ).filter(
                process__documentprocess__document=document, flow_task=await_reply,
                status__in=(STATUS.NEW, STATUS.ASSIGNED),
            ).order_by("-pk").first()
            task = _waiting_task_locked(document=document, node=await_reply)

        assert (task and _fields(task)) == (expected and _fields(expected))
        if task is not None:
            assert task.pk == waited.pk
            assert _fields(task.process.documentprocess.document) == _fields(document)


def test_a_document_locked_for_issuing_is_read_as_the_orm_reads_it():
    seed000_play(out=lambda _text: None)
    related = ["agency", "document_type", "drafting_unit", "signer", "drafted_by",
               "responds_to__source"]
    documents = list(Document.objects.order_by("pk"))
    for document in documents:
        expected = Document.objects.select_related(*related).get(pk=document.pk)
        with transaction.atomic():
            locked = _locked(document, recipients=True)

        assert _fields(locked) == _fields(expected)
        for path in related:
            got, want = _related_chain(locked, path), _related_chain(expected, path)
            assert (got and _fields(got)) == (want and _fields(want)), path
        assert [(_fields(r), _fields(r.agency) if r.agency_id else None)
                for r in locked.recipients_with_agencies()] == [
            (_fields(r), _fields(r.agency) if r.agency_id else None)
            for r in expected.recipients.select_related("agency")
        ]
    assert any(document.recipients.exists() for document in documents)


def _in_threads(test):
    for mark in race_test_marks():
        test = mark(test)
    return test


@_in_threads
def test_a_statement_compiled_in_one_thread_runs_on_the_connection_of_the_thread_running_it():
    seed000_play(out=lambda _text: None)
    task = Task.objects.filter(flow_task_type="HUMAN").latest("pk")
    user = User.objects.get(username="mai.ht")
    values = {"task_pk": task.pk, "process_pk": task.process_id, "user_pk": user.pk}
    with transaction.atomic():
        _STEP_LOCK_STATEMENT.all(using="default", shape=(True, False), **values)
    on_main, on_thread = [], []

    def read_in_a_thread():
        with connections["default"].execute_wrapper(
            lambda execute, sql, *rest: on_thread.append(sql) or execute(sql, *rest)
        ), transaction.atomic():
            return _STEP_LOCK_STATEMENT.all(using="default", shape=(True, False), **values)

    with connection.execute_wrapper(
        lambda execute, sql, *rest: on_main.append(sql) or execute(sql, *rest)
    ):
        ((read,),) = at_once(read_in_a_thread)

    assert read.pk == task.pk
    assert len(on_thread) == 1 and on_main == []


def test_an_integer_compared_as_text_a_page_and_a_count_are_bound():
    """guardian stores an object's key as text: the same integer reaches one statement as an
    integer and as its text. A page's limit and offset are parameters, and so is a count's
    every value."""
    def grants(*, shape, agency):
        return GroupObjectPermission.objects.filter(
            Q(object_pk=str(agency)) | Q(group__user__agency_id=agency)
        ).order_by("pk")

    statement = CompiledOnce(grants)
    as_text = 0
    for agency in Agency.objects.order_by("pk"):
        expected = list(grants(shape=(), agency=agency.pk))
        pages = [statement.all(using="default", agency=agency.pk, limit=3, offset=offset)
                 for offset in range(0, len(expected) + 3, 3)]

        assert [_fields(grant) for page in pages for grant in page] == [
            _fields(grant) for grant in expected]
        assert statement.count(using="default", agency=agency.pk) == len(expected)
        as_text += GroupObjectPermission.objects.filter(object_pk=str(agency.pk)).count()
    assert as_text > 0
