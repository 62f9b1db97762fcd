"""`notify_many` writes many rows in one bulk insert, whose arrays go to PostgreSQL bound in
binary (`delivery._cursor_for`): texts that an array literal must quote or escape (quotes,
backslashes, braces, commas, the word NULL, line breaks, Vietnamese) and a JSON context
come back exactly as given, with the statement counted like any other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from notifications.models import Notification, Outbox
from notifications.services import Message, notify_many

pytestmark = pytest.mark.django_db

AWKWARD = [
    'Trả lời "Công văn" số 1719-CV/HU',
    "C:\\Văn bản\\đến\\ {1,2} , NULL",
    "NULL",
    "",
    "dòng một\ndòng hai\r\n\tthụt lề",
    "{\"khóa\": [1, 2]}",
]


def test_awkward_texts_and_contexts_come_back_as_given(world):
    agency = world.agency("bdt-bac-giang")
    people = list(User.objects.filter(agency=agency).exclude(email="").order_by("pk")[:6])
    messages = [
        Message(key=f"notice:{index}", user=person, subject=text or "Việc mới", text=text,
                html=f"<p>{text}</p>", url=f"/incoming/{index}/", agency=agency, kind="task",
                template="notice" if index % 2 else "",
                context={"lines": [["Văn bản", text]], "số": index, "rỗng": None}
                if index % 2 else None,
                digest=False)
        for index, (person, text) in enumerate(zip(people, AWKWARD, strict=True))
    ]
    with CaptureQueriesContext(connection) as captured:
        new = notify_many(messages=messages)
    assert len(new) == len(messages)
    # One statement on PostgreSQL (notifications and e-mails), two elsewhere; all counted.
    assert len(captured.captured_queries) == (1 if connection.vendor == "postgresql" else 2)

    for index, (person, text) in enumerate(zip(people, AWKWARD, strict=True)):
        key = f"notice:{index}"
        notification = Notification.objects.get(key=key, recipient=person)
        assert (notification.title, notification.text) == (text or "Việc mới", text)
        email = Outbox.objects.get(key=key, to_email=person.email)
        assert email.subject == (text or "Việc mới")
        assert email.body_html == f"<p>{text}</p>"
        if index % 2:
            assert email.body_text == ""
            assert email.context == {"lines": [["Văn bản", text]], "số": index, "rỗng": None}
        else:
            assert (email.body_text, email.context) == (text, {})
