"""Login throttling (django-axes): five wrong passwords lock the name from that address;
an administrator unlocks it in the admin."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, password, username="quyen.vt"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, world):
    for _attempt in range(4):
        assert _login(client, "sai-mat-khau").status_code == 200
    locked = _login(client, "sai-mat-khau")
    assert locked.status_code == 429
    assert "Tài khoản tạm khóa" in locked.content.decode()
    right = _login(client, "lienthong2023")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person from the same computer is not locked out.
    assert _login(client, "lienthong2023", username="mai.ht").status_code == 302


def test_an_administrator_unlocks_it_in_the_admin(client, world):
    for _attempt in range(5):
        _login(client, "sai-mat-khau")
    attempt = AccessAttempt.objects.get(username="quyen.vt")
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/")
    assert "quyen.vt" in listing.content.decode()
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    client.logout()
    assert _login(client, "lienthong2023").status_code == 302
