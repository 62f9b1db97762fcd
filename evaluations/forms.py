"""Forms of evaluations: a new campaign (criteria and scales are edited in the admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from viewflow.forms import Layout, Row

from accounts.models import Agency, Unit
from accounts.selectors import recipient_agency_list, scope_to_agency, unit_list_for
from workcalendar.services import WorkCalendar
from workflows.widgets import DatePickerInput

from .models import Campaign, ClassificationScale, CriteriaTemplate


class CampaignForm(forms.Form):
    """Title, period, criteria, scale, deadline and participants of a new campaign."""

    title = forms.CharField(label=_("Campaign title"), max_length=255)
    period = forms.CharField(label=_("Year or period"), max_length=50)
    template = forms.ModelChoiceField(label=_("Criteria set"), queryset=CriteriaTemplate.objects)
    scale = forms.ModelChoiceField(
        label=_("Classification scale"), queryset=ClassificationScale.objects
    )
    deadline = forms.DateField(
        label=_("Submission deadline"), widget=DatePickerInput,
        help_text=_("Submissions close when the office closes on that day."),
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Participant agencies"), queryset=Agency.objects.none(), required=False
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Participant units of your agency"), queryset=Unit.objects.none(),
        required=False,
    )
    previous = forms.ModelChoiceField(
        label=_("Previous campaign to compare with"), queryset=Campaign.objects, required=False
    )
    participant_label = forms.CharField(
        label=_("Participants are called"), max_length=255, required=False,
        help_text=_("Printed after the rank, e.g. “Phòng Dân tộc cấp huyện trên toàn tỉnh”."),
    )

    layout = Layout(
        Row("title", "period"), Row("template", "scale", "deadline"), "agencies", "units",
        Row("previous", "participant_label"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["template"].queryset = scope_to_agency(
            CriteriaTemplate.objects.all(), user=user
        )
        self.fields["scale"].queryset = scope_to_agency(
            ClassificationScale.objects.all(), user=user
        )
        self.fields["agencies"].queryset = recipient_agency_list().exclude(pk=user.agency_id)
        self.fields["units"].queryset = unit_list_for(user=user)
        self.fields["previous"].queryset = scope_to_agency(
            Campaign.objects.all(), user=user, field="owner"
        )

    def clean_deadline(self):
        """The chosen day, at the closing time of the owner's office (a deadline is a day)."""
        return WorkCalendar().closing(self.cleaned_data["deadline"], self.user.agency_id)
