"""Thin views of the accounts app."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .home import home_cards


class HomeView(LoginRequiredMixin, TemplateView):
    """The home dashboard: the person's position and the cards the apps provide."""

    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        person = self.request.user
        # Agency, unit and role always show ("—" when empty); title and fields only when set.
        position = [
            (_("Agency"), person.agency.name if person.agency else "—"),
            (_("Unit"), person.unit.name if person.unit else "—"),
            (_("Role"), person.get_role_display() or "—"),
        ]
        position += [
            (label, value)
            for label, value in ((_("Title"), person.title),
                                 (_("Fields in charge"), person.fields_in_charge))
            if value
        ]
        return super().get_context_data(
            person=person, position=position, cards=home_cards(self.request), **kwargs
        )
