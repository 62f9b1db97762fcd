"""The login page, the home dashboard and the error pages speak Vietnamese."""

import pytest
from django.test import RequestFactory
from django.views.defaults import permission_denied

from accounts.home import HomeCard

pytestmark = pytest.mark.django_db


def demo_cards(request):
    """A home-card provider as an app would write one (used through settings.HOME_CARDS)."""
    yield HomeCard(title="Việc quá hạn", value=2, url="/overdue/", order=20)
    yield HomeCard(title="Văn bản chờ xử lý", value=3, url="/inbox/", order=10)


def test_login_page_is_in_vietnamese_with_the_product_name(client):
    page = client.get("/accounts/login/").content.decode()

    assert "<title>Đăng nhập – Liên thông văn bản</title>" in page
    assert "Hệ thống quản lý và liên thông văn bản điều hành" in page
    assert 'label="Tên đăng nhập"' in page and 'label="Mật khẩu"' in page
    assert "Viewflow" not in page


def test_the_root_asks_for_a_login(client):
    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")


def test_demo_login_reaches_the_home_page_with_the_position(client, world):
    response = client.post(
        "/accounts/login/", {"username": "quyen.vt", "password": "lienthong2023"}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/home/"
    assert "Xin chào, Vi Thanh Quyên" in page
    assert "Ban Dân tộc tỉnh Bắc Giang" in page
    assert "Thủ trưởng" in page and "TRƯỞNG BAN" in page


def test_wrong_password_is_refused_in_vietnamese(client, world):
    response = client.post("/accounts/login/", {"username": "quyen.vt", "password": "sai"})

    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.content.decode()


def test_home_shows_unit_and_fields_in_charge(client, world, pho_truong_ban, chuyen_vien):
    client.force_login(chuyen_vien)
    assert "Hành chính – Tổng hợp" in client.get("/home/").content.decode()

    client.force_login(pho_truong_ban)
    assert "Chính sách dân tộc; thanh tra" in client.get("/home/").content.decode()


def test_home_cards_come_from_the_providers_in_settings_in_order(client, settings, chuyen_vien):
    settings.HOME_CARDS = ["tests.accounts.test_pages__login_home.demo_cards"]
    client.force_login(chuyen_vien)

    page = client.get("/home/").content.decode()

    assert page.index("Văn bản chờ xử lý") < page.index("Việc quá hạn")
    assert 'href="/inbox/"' in page


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "Về trang chủ" in page


def test_forbidden_page_is_in_vietnamese(chuyen_vien):
    request = RequestFactory().get("/admin/")
    request.user = chuyen_vien

    response = permission_denied(request, exception=None)

    assert response.status_code == 403
    assert "vị trí công tác của bạn không cho phép mở trang này" in response.content.decode()
