"""The notifications application of the viewflow site (the bell)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from .views import NotificationListView, NotificationReadAllView, NotificationReadView


class NotificationsApp(Application):
    """“Thông báo”: reminders and messages for the person, and their e-mail preference."""

    title = _("Notifications")
    icon = "notifications"
    app_name = "notifications"
    menu_template_name = None

    index_path = path("", NotificationListView.as_view(), name="index")
    read_path = path("<int:pk>/read/", NotificationReadView.as_view(), name="read")
    read_all_path = path("read-all/", NotificationReadAllView.as_view(), name="read_all")
