"""Forms of the flow steps: parse input, offer only choices of the user's own agency.

The services validate again (they are also called from Python); forms give the early,
field-level message.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.forms import Layout

from accounts.models import LEADER_ROLES
from accounts.selectors import person_list_for, recipient_agency_list, unit_list_for

from .models import Confidentiality, DocumentType, Urgency
from .services.recipients import RecipientInput, recipient_lines_parse
from .widgets import DatePickerInput, WorkingDaysInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the attachment service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        if not data:
            return []
        return [super().clean(data, initial)]


def _require_text(form, *, choice: tuple[str, str], text: str, message) -> dict:
    """Form.clean(): `text` is required when the field `choice[0]` has the value `choice[1]`."""
    cleaned = forms.Form.clean(form)
    field, value = choice
    if cleaned.get(field) == value and not cleaned.get(text, "").strip():
        form.add_error(text, message)
    return cleaned


class RegisterForm(forms.Form):
    received_on = forms.DateField(
        label=_("Date received"), widget=DatePickerInput, initial=timezone.localdate
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DirectForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)
    supporting_units = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=None, required=False
    )
    working_days = forms.IntegerField(
        label=_("Deadline in working days"), required=False, min_value=1, max_value=365,
        widget=WorkingDaysInput,
    )
    due_on = forms.DateField(label=_("or deadline date"), required=False, widget=DatePickerInput)
    instruction = forms.CharField(
        label=_("Direction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_list_for(user=user)
        self.fields["lead_unit"].queryset = units
        self.fields["supporting_units"].queryset = units

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return due_on


class HandOverForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Specialist"), queryset=None)

    def __init__(self, *args, user, lead_unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = person_list_for(user=user).filter(unit=lead_unit)


class HandleForm(forms.Form):
    REPLY, CLOSE = "reply", "close"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(REPLY, _("Answer with an outgoing document")), (CLOSE, _("Close with a note"))],
        widget=forms.RadioSelect,
        initial=REPLY,
    )
    note = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The choice is made with the form's buttons (one click), the note stays on screen.
    layout = Layout("note")
    actions = (
        ("outcome", REPLY, _("Answer with an outgoing document"), True),
        ("outcome", CLOSE, _("Close with a note"), False),
    )

    def clean(self):
        return _require_text(
            self, choice=("outcome", self.CLOSE),
            text="note", message=_("Say why the document needs no reply."),
        )


class TextForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return to the drafter"))],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    reason = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    layout = Layout("reason")
    actions = (
        ("decision", APPROVE, _("Approve"), True),
        ("decision", RETURN, _("Return to the drafter"), False),
    )

    def clean(self):
        return _require_text(
            self, choice=("decision", self.RETURN),
            text="reason", message=_("Say why the draft is returned."),
        )


class SignForm(DecisionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (DecisionForm.APPROVE, _("Approve and sign")),
            (DecisionForm.RETURN, _("Return to the drafter")),
        ],
        widget=forms.RadioSelect,
        initial=DecisionForm.APPROVE,
    )
    actions = (
        ("decision", DecisionForm.APPROVE, _("Approve and sign"), True),
        ("decision", DecisionForm.RETURN, _("Return to the drafter"), False),
    )


class IssueDateField(forms.DateField):
    """The date of issue, shown and never typed: the service dates the issue with the
    agency's local date when the number is taken (no backdating). Disabled, it ignores what
    the browser or an API client posts."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Date of issue"), widget=DatePickerInput, initial=timezone.localdate,
            disabled=True, required=False,
            help_text=_("Set by the system at the moment you issue (no backdating)."), **kwargs,
        )


class IssueForm(forms.Form):
    """Nothing to fill in: the number and the date are taken by the server on sending."""

    issued_on = IssueDateField()


class RecipientLinesField(forms.CharField):
    """Recipients outside the system, one per line “name; e-mail” (`recipient_lines_parse`):
    a bad address is refused with its line, and the rest of the form keeps what was typed."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, is_addressee: bool = True, **kwargs):
        self.is_addressee = is_addressee
        super().__init__(required=False, **kwargs)

    def clean(self, value) -> list[RecipientInput]:
        return recipient_lines_parse(super().clean(value), is_addressee=self.is_addressee)


class RecipientsForm(forms.Form):
    """The recipients of an outgoing document, as every form that sends one takes them:
    agencies on the system, addressees outside it, and lines only written under “Nơi nhận”.
    The services check them again (`recipient_rows`)."""

    recipient_agencies = forms.ModelMultipleChoiceField(
        label=_("Recipient agencies on the system"), queryset=None, required=False
    )
    other_recipients = RecipientLinesField(
        label=_("Other recipients"), help_text=_("One per line: name; e-mail address.")
    )
    copy_lines = RecipientLinesField(
        label=_("Also under “Nơi nhận”"), is_addressee=False,
        help_text=_("One per line, e.g. Lãnh đạo Ban (handed over inside the agency)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_agencies"].queryset = recipient_agency_list().exclude(
            pk=user.agency_id
        )

    def recipients(self) -> list[RecipientInput]:
        agencies = [
            RecipientInput(agency_id=agency.pk)
            for agency in self.cleaned_data.get("recipient_agencies", [])
        ]
        return (
            agencies
            + self.cleaned_data.get("other_recipients", [])
            + self.cleaned_data.get("copy_lines", [])
        )


class DraftForm(RecipientsForm):
    field_order = ("document_type", "summary", "body", "urgency", "confidentiality")

    document_type = forms.ModelChoiceField(
        label=_("Document type"), queryset=DocumentType.objects.filter(is_active=True)
    )
    summary = forms.CharField(label=_("Summary (V/v …)"), max_length=500)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 14}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices
    )
    proposed_signer = forms.ModelChoiceField(
        label=_("Proposed signer"), queryset=None, required=False
    )
    files = MultipleFileField(label=_("Files (PDF or DOCX)"), required=False)
    commenters = forms.ModelMultipleChoiceField(
        label=_("Ask for comments from"), queryset=None, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        people = person_list_for(user=user)
        self.fields["proposed_signer"].queryset = people.filter(role__in=LEADER_ROLES)
        self.fields["commenters"].queryset = people.exclude(pk=user.pk)
