"""Thin views of the accounts app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .home import home_cards


class HomeView(LoginRequiredMixin, TemplateView):
    """The home dashboard: the person's position and the cards the apps provide."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.request.user, cards=home_cards(self.request), **kwargs
        )
