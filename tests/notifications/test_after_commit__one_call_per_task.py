"""A transaction asks Celery for each kind of work once, however many times its steps ask.

Published for real to a private redis-server, and the broker's queue read back: the
messages a transaction left, with their task and arguments.
"""

import base64
import json

import pytest
import redis
from django.db import transaction

from notifications.models import Outbox
from notifications.services import notify
from workflows.services.documents import outgoing_issue

from ..workflows.documents_factory import approved_outgoing

pytestmark = pytest.mark.django_db


def _queued(server) -> list[tuple[str, list]]:
    """(task name, first argument) of every message waiting in the broker's queue."""
    client = redis.Redis.from_url(server.url())
    messages = [json.loads(raw) for raw in reversed(client.lrange("celery", 0, -1))]
    return [
        (message["headers"]["task"], json.loads(base64.b64decode(message["body"]))[0][0])
        for message in messages
    ]


def _notify(world, number: int) -> Outbox:
    return notify(key=f"issued:{number}", email=f"vanthu{number}@huyenuy.vn",
                  agency=world.agency("bdt-bac-giang"), subject="Văn bản phát hành",
                  text="Kính gửi Huyện ủy Lục Nam")


def test_the_e_mails_of_one_transaction_go_to_celery_in_one_message(
    private_broker, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rows = [_notify(world, number) for number in range(3)]

    assert _queued(private_broker) == [
        ("notifications.tasks.send_outbox", [row.pk for row in rows])
    ]


def test_a_savepoint_rolled_back_takes_its_e_mails_and_its_message_with_it(
    private_broker, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                _notify(world, 1)
                raise RuntimeError("the step fails after its notice")
        except RuntimeError:
            pass
        kept = [_notify(world, number) for number in (2, 3)]

    assert _queued(private_broker) == [
        ("notifications.tasks.send_outbox", [row.pk for row in kept])
    ]
    assert list(Outbox.objects.values_list("pk", flat=True).order_by("pk")) == [
        row.pk for row in kept
    ]


def test_an_issue_asks_once_for_its_e_mails_and_once_for_its_files_text(
    private_broker, world, django_capture_on_commit_callbacks
):
    document = approved_outgoing(world)
    clerk = world.user("mai.ht")

    with django_capture_on_commit_callbacks(execute=True):
        issued = outgoing_issue(document=document, clerk=clerk, deliver=True)

    queued = _queued(private_broker)
    assert [task for task, _ in queued] == [
        "notifications.tasks.send_outbox", "workflows.tasks.attachment_extract"
    ]
    files = sorted(issued.attachments.values_list("pk", flat=True)) + sorted(
        issued.delivered_copies.get().attachments.values_list("pk", flat=True)
    )
    assert sorted(queued[1][1]) == sorted(files) and len(files) == 2
    assert sorted(queued[0][1]) == sorted(
        Outbox.objects.filter(state=Outbox.State.PENDING).values_list("pk", flat=True)
    )
