"""The flow pages never show another agency's processes or tasks, listed or typed (404)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.home import cards as home_cards
from workflows.queues import (
    process_list_for,
    task_archive_for,
    task_inbox_for,
    task_list_for,
    task_queue_for,
)
from workflows.services.routing import open_task, process_of
from workflows.story import incoming_copy, incoming_reach, outgoing_reach, request_send

pytestmark = pytest.mark.django_db

BDT_PEOPLE = ("quyen.vt", "hung.nv", "lan.tt", "tuan.nq", "mai.ht", "minh.lv", "hoa.lt")
OTHER_PEOPLE = ("son.bt", "vanthu.hu", "khoa.tv", "vanthu.snv", "truongphong.lucnam")
LIST_PAGES = ("index", "inbox", "queue", "archive", "process_list", "task_list")


@pytest.fixture
def bdt_work(world):
    """At BDT: 1719-CV/HU waiting for direction; a reply to another request waiting for
    the leaders' signature (its comment by hung.nv and review by lan.tt done)."""
    waiting = incoming_copy(request=request_send())
    incoming_reach(document=waiting, stage="direct", say=lambda _: None)
    answered = incoming_copy(
        request=request_send(number=None, summary="V/v phối hợp tổ chức hội nghị")
    )
    incoming_reach(document=answered, stage="done", say=lambda _: None)
    reply = answered.replies.get()
    outgoing_reach(document=reply, stage="sign", say=lambda _: None)
    return {
        IncomingFlow: (
            process_of(document=waiting), open_task(document=waiting, node=IncomingFlow.direct)
        ),
        OutgoingFlow: (
            process_of(document=reply), open_task(document=reply, node=OutgoingFlow.sign)
        ),
    }


def _task_urls(process, task):
    return [
        task.flow_task.reverse(name, args=[process.pk, task.pk])
        for name in ("index", "detail", "assign", "execute")
    ]


def test_another_agency_gets_404_for_every_url_of_bdt_work(client, world, bdt_work):
    for username in OTHER_PEOPLE:
        _other_agency_urls_are_404(client, world.user(username), bdt_work)


def _task_url(process, task):
    """Where a task's row leads (rows are named by their document, not by numbers)."""
    return task.flow_task.reverse("index", args=[process.pk, task.pk])


def _other_agency_urls_are_404(client, user, bdt_work):
    client.force_login(user)
    for flow_class, (process, task) in bdt_work.items():
        detail = flow_class.instance.reverse("process_detail", args=[process.pk])
        for url in (detail, *_task_urls(process, task)):
            assert client.get(url).status_code == 404, url
        assign = task.flow_task.reverse("assign", args=[process.pk, task.pk])
        assert client.post(assign).status_code == 404


def test_another_agency_s_lists_do_not_show_bdt_work(client, world, bdt_work):
    for username in OTHER_PEOPLE:
        client.force_login(world.user(username))
        for flow_class, (process, task) in bdt_work.items():
            for page in LIST_PAGES:
                response = client.get(flow_class.instance.reverse(page))
                assert response.status_code == 200, (username, page)
                content = response.content.decode()
                assert process.document.summary not in content, (username, page)
                assert _task_url(process, task) not in content, (username, page)


def test_leaders_and_clerks_see_every_bdt_process(client, world, bdt_work):
    for username in ("quyen.vt", "hung.nv", "mai.ht"):
        client.force_login(world.user(username))
        for flow_class, (process, _task) in bdt_work.items():
            detail = flow_class.instance.reverse("process_detail", args=[process.pk])
            assert client.get(detail).status_code == 200, username
            listed = client.get(flow_class.instance.reverse("process_list")).content.decode()
            assert process.document.summary in listed, username


def test_leaders_find_the_waiting_work_in_their_queue_and_open_it(client, world, bdt_work):
    client.force_login(world.user("quyen.vt"))
    for flow_class, (process, task) in bdt_work.items():
        queue = client.get(flow_class.instance.reverse("queue")).content.decode()
        assert _task_url(process, task) in queue
        detail, assign = (
            task.flow_task.reverse(name, args=[process.pk, task.pk])
            for name in ("detail", "assign")
        )
        assert client.get(detail).status_code == 200
        assert client.get(assign).status_code == 200


def test_bdt_people_open_every_list_page(client, world, bdt_work):
    for username in BDT_PEOPLE:
        client.force_login(world.user(username))
        for flow_class in (IncomingFlow, OutgoingFlow):
            for page in LIST_PAGES:
                response = client.get(flow_class.instance.reverse(page))
                assert response.status_code == 200, (username, page)


def test_a_specialist_of_another_unit_cannot_open_the_signature_task(client, world, bdt_work):
    client.force_login(world.user("hoa.lt"))
    process, task = bdt_work[OutgoingFlow]
    for url in _task_urls(process, task):
        assert client.get(url).status_code == 404, url


def test_a_person_outside_every_agency_finds_no_work(client, world, bdt_work):
    nobody = get_user_model().objects.create_user("khach", password="x")
    for selector in (task_queue_for, task_inbox_for, task_archive_for, task_list_for,
                     process_list_for):
        assert not selector(user=nobody).exists(), selector.__name__
    request = RequestFactory().get("/")
    request.user = nobody
    assert home_cards(request) == []
    client.force_login(nobody)
    for flow_class, (process, task) in bdt_work.items():
        for page in LIST_PAGES:
            assert client.get(flow_class.instance.reverse(page)).status_code == 403, page
        detail = flow_class.instance.reverse("process_detail", args=[process.pk])
        for url in (detail, *_task_urls(process, task)):
            assert client.get(url).status_code in (403, 404), url
