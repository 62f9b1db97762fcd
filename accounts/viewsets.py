"""The home application of the viewflow site: who I am and what waits for me."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from .views import HomeView


class HomeApp(Application):
    """The first entry of the site menu; its index is the home dashboard (Trang chủ)."""

    title = _("Home")
    icon = "home"
    app_name = "home"
    # The home page has no sub-pages, so no application menu.
    menu_template_name = None

    index_path = path("", HomeView.as_view(), name="index")
