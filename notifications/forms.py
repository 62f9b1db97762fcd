"""The one form of the notifications page: how the person wants their e-mails."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Preference


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Send me e-mails"), choices=Preference.EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "For new work, drafts returned, documents signed or issued, replies to your "
            "agency's requests, and deadline reminders."
        ),
    )
