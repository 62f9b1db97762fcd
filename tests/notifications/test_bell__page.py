"""The notifications page: unread count, reading one, reading all, the e-mail preference."""

import pytest
from django.urls import reverse

from notifications.models import Notification, Preference
from notifications.selectors import unread_count
from notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_notifications(chuyen_vien, world):
    agency = world.agency("bdt-bac-giang")
    for n in (1, 2):
        notify(key=f"test:{n}", user=chuyen_vien, agency=agency, url="/",
               subject=f"Văn bản số {n} cần xử lý", text="Nội dung")


def test_the_page_lists_the_persons_notifications_and_the_unread_count(
    client, chuyen_vien, two_notifications
):
    client.force_login(chuyen_vien)
    response = client.get(reverse("notifications:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Văn bản số 1 cần xử lý" in page
    assert "2 thông báo chưa đọc" in page
    assert unread_count(user=chuyen_vien) == 2


def test_reading_one_marks_it_read_and_follows_its_link(client, chuyen_vien, two_notifications):
    client.force_login(chuyen_vien)
    first = Notification.objects.filter(recipient=chuyen_vien).last()
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302 and response.url == "/"
    assert unread_count(user=chuyen_vien) == 1


def test_someone_elses_notification_is_not_found(client, truong_phong, two_notifications):
    client.force_login(truong_phong)
    other = Notification.objects.first()
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    assert other.recipient != truong_phong


def test_read_all_clears_the_badge(client, chuyen_vien, two_notifications):
    client.force_login(chuyen_vien)
    client.post(reverse("notifications:read_all"))
    assert unread_count(user=chuyen_vien) == 0


def test_choosing_the_daily_digest_is_saved(client, chuyen_vien):
    client.force_login(chuyen_vien)
    response = client.post(reverse("notifications:index"), {"email_mode": "digest"})
    assert response.status_code == 302
    assert Preference.objects.get(user=chuyen_vien).email_mode == "digest"


def test_the_home_page_shows_the_unread_card(client, chuyen_vien, two_notifications):
    client.force_login(chuyen_vien)
    page = client.get("/", follow=True).content.decode()
    assert "Thông báo chưa đọc" in page
