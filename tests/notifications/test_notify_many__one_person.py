"""`notify_many` of several e-mails to one person whose digest choice the caller did not
read: the choice is read in one query, not by an EXISTS per e-mail inside the insert (which
made Django write the rows one by one instead of as arrays); each e-mail is held or not as
the person chose."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications.models import Outbox, Preference
from notifications.services import Message, notify_many

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mode", [Preference.EmailMode.DIGEST, Preference.EmailMode.IMMEDIATE])
def test_one_persons_emails_follow_the_choice_without_an_exists_per_row(world, mode):
    agency = world.agency("bdt-bac-giang")
    person = User.objects.get(username="tuan.nq")
    Preference.objects.update_or_create(user=person, defaults={"email_mode": mode})
    messages = [
        Message(key=f"notice:{n}", user=person, subject=f"Việc mới {n}", text="Có việc mới.",
                url=f"/incoming/{n}/", agency=agency, kind="task")
        for n in range(5)
    ]
    with CaptureQueriesContext(connection) as captured:
        new = notify_many(messages=messages)
    held = mode == Preference.EmailMode.DIGEST
    assert [row.state for row in new] == [
        Outbox.State.HELD if held else Outbox.State.PENDING
    ] * 5
    [insert] = [
        sql for sql in (query["sql"] for query in captured.captured_queries)
        if sql.startswith(("INSERT", "WITH")) and "notifications_outbox" in sql
    ]
    assert "notifications_preference" not in insert
