"""Two people of one queue press “Nhận và xử lý” on the same row: one gets the task's form,
the other is sent back to the queue with a message saying who took it, never a 403 page.

The load test (bench/load.py) met this with 4 clerks and 3 leaders sharing their queues: the
loser's POST waited on the process lock, then found the task assigned and got a bare 403.
"""

import functools

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.utils import translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.threads import at_once

from .flow_fixtures import IncomingFlow, incoming_at, task_of, task_url


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _client(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "vi"
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_taking_a_task_someone_just_took_leads_back_to_the_queue(
    world, truong_ban, pho_truong_ban
):
    task = task_of(incoming_at("direct"), IncomingFlow.direct)
    head, deputy = _client(truong_ban), _client(pho_truong_ban)
    assert head.post(task_url(task, "assign"))["Location"] == task_url(task, "execute")

    response = deputy.post(task_url(task, "assign"))

    assert response.status_code == 302
    assert response["Location"] == IncomingFlow.instance.reverse("queue")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Công việc này vừa được Vi Thanh Quyên nhận."
    ]
    page = deputy.get(response["Location"]).content.decode()
    assert "Công việc này vừa được Vi Thanh Quyên nhận." in page
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == truong_ban


@pytest.mark.django_db
def test_someone_outside_the_queue_is_still_refused(world, truong_ban, van_thu_bdt):
    task = task_of(incoming_at("direct"), IncomingFlow.direct)
    _client(truong_ban).post(task_url(task, "assign"))

    response = _client(van_thu_bdt).post(task_url(task, "execute"), {"lead_unit": ""})

    assert response.status_code == 403


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks and concurrent connections",
)
def test_two_leaders_taking_the_same_task_at_once(world, truong_ban, pho_truong_ban):
    task_pk = task_of(incoming_at("direct"), IncomingFlow.direct).pk
    url = task_url(Task.objects.get(pk=task_pk), "assign")
    clients = {"quyen.vt": _client(truong_ban), "hung.nv": _client(pho_truong_ban)}
    answers = {}

    def press(username):
        answers[username] = clients[username].post(url)

    at_once(*(functools.partial(press, name) for name in clients))

    assert sorted(response.status_code for response in answers.values()) == [302, 302]
    task = Task.objects.select_related("owner").get(pk=task_pk)
    winner, loser = task.owner.username, ({"quyen.vt", "hung.nv"} - {task.owner.username}).pop()
    assert answers[winner]["Location"] == task_url(task, "execute")
    assert answers[loser]["Location"] == IncomingFlow.instance.reverse("queue")
    assert [str(m) for m in get_messages(answers[loser].wsgi_request)] == [
        f"Công việc này vừa được {task.owner.get_full_name()} nhận."
    ]
