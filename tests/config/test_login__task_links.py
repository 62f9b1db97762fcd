"""A signed-out visitor following a task or process link logs in and lands on it."""

from urllib.parse import quote

import pytest
from django.urls import get_resolver

from workflows.flows import IncomingFlow, OutgoingFlow
from workflows.models import Document
from workflows.services.routing import open_task

from ..workflows.flow_fixtures import incoming_at, reply_at

pytestmark = pytest.mark.django_db

PASSWORD = "lienthong2023"  # every demo account's (accounts/demo.py)


def _task_url(document: Document, node) -> str:
    get_resolver().url_patterns  # noqa: B018 (viewflow names its URLs once the URLconf loads)
    task = open_task(document=document, node=node)
    return task.flow_task.reverse("index", args=[task.process_id, task.pk])


def test_a_task_link_sends_a_signed_out_visitor_to_the_login_and_back(client, world):
    document = incoming_at("register")
    url = _task_url(document, IncomingFlow.register)

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(url)}"

    login = client.post(
        response["Location"], {"username": "mai.ht", "password": PASSWORD}, follow=True
    )
    assert login.redirect_chain[0][0] == url
    assert login.status_code == 200
    assert login.request["PATH_INFO"].startswith(url.split("?")[0].rstrip("/"))


@pytest.mark.parametrize(
    "path",
    ["/", "/home/", "/documents/", "/incoming/", "/incoming/inbox/", "/outgoing/queue/",
     "/outgoing/1/", "/incoming/1/register/1/", "/notifications/"],
)
def test_no_site_page_answers_403_to_a_signed_out_visitor(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_outgoing_task_link_opens_after_login(client, world):
    reply = reply_at("sign")
    url = _task_url(reply, OutgoingFlow.sign)
    assert client.get(url)["Location"] == f"/accounts/login/?next={quote(url)}"
    response = client.post(
        f"/accounts/login/?next={quote(url)}", {"username": "quyen.vt", "password": PASSWORD}
    )
    assert response["Location"] == url
    assert client.get(url, follow=True).status_code == 200


def test_the_login_and_health_pages_stay_open(client, world):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
