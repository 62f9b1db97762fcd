"""A queue's notice written from the people query in one statement (`notify_people`) makes
the rows `notify_many` makes from the people read one by one: a notification each, an e-mail
per address (held for who chose the digest, none without an address), greeted by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications.models import Notification, Outbox
from notifications.services import (
    Message,
    digest_chosen,
    notify_many,
    notify_people,
    preference_set,
)
from notifications.services.emails import notice_context, notice_greeting

pytestmark = pytest.mark.django_db

NOTIFICATION = ("recipient_id", "agency_id", "kind", "title", "text", "url", "deadline_id",
                "read_at")
OUTBOX = ("to_email", "recipient_id", "agency_id", "deadline_id", "kind", "subject",
          "body_text", "body_html", "template", "context", "url", "attachment",
          "attachment_name", "digest_id", "state", "attempts")


def _rows(key):
    return (
        list(Notification.objects.filter(key=key).order_by("recipient_id").values(*NOTIFICATION)),
        list(Outbox.objects.filter(key=key).order_by("recipient_id").values(*OUTBOX)),
    )


def _context(recipient):
    return notice_context(recipient=recipient, subject="Việc mới: Vào sổ", intro="Có việc.",
                          lines=[("Văn bản", "1720-CV/HU")], url="/incoming/1/")


def test_the_rows_are_those_of_notify_many(world, django_capture_on_commit_callbacks):
    agency = world.agency("bdt-bac-giang")
    people = User.objects.filter(agency=agency, is_active=True).order_by("pk")
    chosen = list(people[:6])
    preference_set(user=chosen[0], email_mode="digest")
    User.objects.filter(pk=chosen[1].pk).update(email="")
    User.objects.filter(pk=chosen[2].pk).update(full_name="", first_name="Thị", last_name="Lan")
    User.objects.filter(pk=chosen[3].pk).update(full_name="", first_name="", last_name="")
    queue = people.filter(pk__in=[person.pk for person in chosen])

    def message(key, user=None, context=None):
        return Message(key=key, user=user, subject="Việc mới: Vào sổ", text="Có việc.",
                       url="/incoming/1/", agency=agency, kind="task", template="notice",
                       context=context, digest=getattr(user, "digest", None))

    with django_capture_on_commit_callbacks() as one_by_one:
        notify_many(messages=[
            message("task:a", person, _context(person))
            for person in queue.annotate(digest=digest_chosen())
        ])
    with (CaptureQueriesContext(connection) as statements,
          django_capture_on_commit_callbacks() as at_once):
        notify_people(people=queue, greeting=notice_greeting(),
                      message=message("task:b", context=_context(None)))
    assert _rows("task:a") == _rows("task:b")
    notifications, emails = _rows("task:b")
    assert len(notifications) == 6 and len(emails) == 5
    assert {email["state"] for email in emails} == {Outbox.State.HELD, Outbox.State.PENDING}
    assert [e["context"]["greeting"] for e in emails if e["recipient_id"] == chosen[2].pk] == [
        notice_greeting() % {"name": "Thị Lan"}
    ]
    # One request to Celery for the transaction: the second call's e-mails joined the first's.
    assert len(one_by_one) == 1 and at_once == []
    assert sorted(one_by_one[0].items) == sorted(
        Outbox.objects.filter(state=Outbox.State.PENDING).values_list("pk", flat=True)
    )
    if connection.vendor == "postgresql":
        assert len(statements) == 1
    # Written twice, nothing new.
    notify_people(people=queue, greeting=notice_greeting(),
                  message=message("task:b", context=_context(None)))
    assert _rows("task:b") == (notifications, emails)
