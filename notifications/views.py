"""Thin views: the notifications page (bell), reading one, reading all, the preference."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .forms import PreferenceForm
from .models import Notification, Preference
from .selectors import escalations_for, notification_list_for, unread_count
from .services import notification_read, notifications_read_all, preference_set


class NotificationListView(LoginRequiredMixin, TemplateView):
    """The person's notifications, unread first in bold, and their e-mail preference."""

    template_name = "notifications/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = Paginator(notification_list_for(user=user), 30).get_page(
            self.request.GET.get("page")
        )
        mode = (
            Preference.objects.filter(user=user).values_list("email_mode", flat=True).first()
            or Preference.EmailMode.IMMEDIATE
        )
        return super().get_context_data(
            page=page, unread=unread_count(user=user), escalations=escalations_for(user=user),
            form=kwargs.get("form") or PreferenceForm(initial={"email_mode": mode}), **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        preference_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Your choice has been saved."))
        return redirect("notifications:index")


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then go to what it is about."""

    def post(self, request, pk):
        try:
            notification = notification_read(user=request.user, pk=pk)
        except Notification.DoesNotExist:
            raise Http404 from None
        if notification.url and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}
        ):
            return redirect(notification.url)
        return redirect("notifications:index")


class NotificationReadAllView(LoginRequiredMixin, View):
    """POST: mark every notification read."""

    def post(self, request):
        notifications_read_all(user=request.user)
        return redirect("notifications:index")
