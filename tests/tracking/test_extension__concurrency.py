"""Two leaders decide the same extension request at once, and the handler and the unit head ask
for more time at once: one decision and one request win, the other gets a Vietnamese message.

Real threads, each with its own PostgreSQL connection (SQLite serialises whole transactions).
"""

import datetime

from django.core.exceptions import ValidationError

from tests.threads import race, race_test_marks
from tracking.models import ExtensionRequest
from tracking.services import extension_decide, extension_request

from .conftest import task_add

pytestmark = race_test_marks()


def test_two_leaders_deciding_at_once_make_one_decision(world):
    task = task_add(world, unit="CSDT", handler="ha.nt", due_on=datetime.date(2021, 3, 31))
    task.directed_by = None  # no directing leader recorded: either leader may decide
    task.save(update_fields=["directed_by"])
    request = extension_request(user=world.user("ha.nt"), task=task,
                                due_on=datetime.date(2021, 4, 20), reason="Chờ số liệu")
    head, deputy = world.user("quyen.vt"), world.user("hung.nv")
    results = race(
        lambda: extension_decide(user=head, request=request, accept=True),
        lambda: extension_decide(user=deputy, request=request, accept=False),
    )
    errors = [result for result in results if isinstance(result, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "Đề nghị này đã được lãnh đạo cho ý kiến." in errors[0].messages
    request.refresh_from_db()
    task.refresh_from_db()
    accepted = request.decision == ExtensionRequest.Decision.ACCEPTED
    assert task.due_on == (datetime.date(2021, 4, 20) if accepted else datetime.date(2021, 3, 31))


def test_two_requests_at_once_leave_one_waiting(world):
    task = task_add(world, unit="CSDT", handler="ha.nt", due_on=datetime.date(2021, 3, 31))
    handler, unit_head = world.user("ha.nt"), world.user("minh.lv")
    results = race(*(
        (lambda person=person: extension_request(
            user=person, task=task, due_on=datetime.date(2021, 4, 20), reason="Chờ số liệu"))
        for person in (handler, unit_head)
    ))
    assert sum(isinstance(result, ExtensionRequest) for result in results) == 1
    (error,) = [result for result in results if isinstance(result, Exception)]
    assert isinstance(error, ValidationError)
    assert ExtensionRequest.objects.filter(task=task).count() == 1
