"""The message after taking a task reads as a sentence in viewflow's snackbar.

The snackbar (viewflow.min.js, vf-snackbar) shows the message's text nodes joined by a space
and turns its link into a button: text after the link is stranded ("Bạn đã nhận công việc .").
"""

from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.urls import get_resolver
from django.utils import translation

from workflows.flows import IncomingFlow, OutgoingFlow

from .flow_fixtures import incoming_at, reply_at, task_of

pytestmark = pytest.mark.django_db


class _Snackbar(HTMLParser):
    """What the snackbar shows: the text outside links, and the link as a button."""

    def __init__(self):
        super().__init__()
        self.texts, self.buttons, self._in_link = [], [], False

    def handle_starttag(self, tag, attrs):
        self._in_link = tag == "a"

    def handle_endtag(self, tag):
        self._in_link = False

    def handle_data(self, data):
        (self.buttons if self._in_link else self.texts).append(data.strip())


def test_taking_a_task_says_so_without_a_stranded_full_stop(client, world, van_thu_bdt):
    get_resolver().url_patterns  # noqa: B018 (viewflow names its URLs once the URLconf loads)
    task = task_of(incoming_at("register"), IncomingFlow.register)
    client.cookies["django_language"] = "vi"
    client.force_login(van_thu_bdt)
    response = client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk]))
    with translation.override("vi"):
        message = str(list(get_messages(response.wsgi_request))[-1])
    snackbar = _Snackbar()
    snackbar.feed(message)
    label = " ".join(text for text in snackbar.texts if text)
    # The task is named by its document, inside the sentence (never "#35/187").
    assert label.startswith("Bạn đã nhận công việc “Vào sổ văn bản đến – 1719-CV/HU")
    assert label.endswith("”.") and " ." not in label
    assert f"#{task.pk}" not in label + " ".join(snackbar.buttons)


def test_the_message_after_issuing_names_the_document_by_its_new_number(client, world, van_thu_bdt):
    get_resolver().url_patterns  # noqa: B018
    reply = reply_at("issue")
    task = task_of(reply, OutgoingFlow.issue)
    client.cookies["django_language"] = "vi"
    client.force_login(van_thu_bdt)
    client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk]))
    response = client.post(task.flow_task.reverse("execute", args=[task.process_id, task.pk]), {})
    reply.refresh_from_db()
    with translation.override("vi"):
        message = str(list(get_messages(response.wsgi_request))[-1])
    assert reply.notation and f"Cấp số và phát hành – {reply.notation} – " in message
    assert "(chưa có số)" not in message
