"""The bell's unread count, counted on every page, is a statement compiled once: the first
count builds and compiles it; the next, for other people, bind their key and count what the
ORM counts."""

import pytest

from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.services import notification_read, notify

from ..compiling import statements_compiled

pytestmark = pytest.mark.django_db


def test_the_unread_count_is_the_orms_and_compiled_once(world):
    people = [world.user(name) for name in ("tuan.nq", "quyen.vt", "mai.ht", "vanthu.hu")]
    for index, person in enumerate(people):
        for n in range(index + 1):
            notify(key=f"test:{index}:{n}", user=person, subject=f"Việc số {n}", text="")
    notification_read(
        user=people[3], pk=Notification.objects.filter(recipient=people[3]).first().pk
    )
    unread_count(user=people[0])
    with statements_compiled() as compiled:
        counts = [unread_count(user=person) for person in people]
    assert compiled == []
    assert counts == [
        Notification.objects.filter(recipient=person, read_at__isnull=True).count()
        for person in people
    ]
    assert counts[:3] == [1, 2, 3] and counts[3] == 3
