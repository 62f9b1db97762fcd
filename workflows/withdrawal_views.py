"""Withdrawing (thu hồi) an issued document from its page: the head or the clerk, with a reason."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from viewflow.forms import Layout

from .models import Document
from .selectors import document_get_for
from .services.documents import can_withdraw, outgoing_cancel, withdrawal_refusal


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for withdrawing"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    layout = Layout("reason")


class WithdrawView(LoginRequiredMixin, FormView):
    """“Thu hồi văn bản”: the reason is asked on its own page; the number stays in the register."""

    template_name = "workflows/documents/form_page.html"
    form_class = WithdrawForm
    submit_label = gettext_lazy("Withdraw the document")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Scoped read first: another agency's document is a 404, not a 403.
        self.document = document_get_for(user=request.user, pk=kwargs["pk"])
        if not can_withdraw(user=request.user, document=self.document):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("Withdraw document %(notation)s") % {
                "notation": self.document.notation},
            page_help=_(
                "The document keeps its number in the register and is marked withdrawn in "
                "every recipient's copy; the recipients are told, with your reason."
            ),
            submit_label=self.submit_label,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            outgoing_cancel(
                document=self.document, clerk=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Document %(notation)s was withdrawn.") % {
            "notation": self.document.notation})
        return redirect(self.request.resolver_match.app.reverse("detail", args=[self.document.pk]))


def withdrawable(*, user, document: Document) -> bool:
    """Whether the document page offers `user` the withdraw button: where the service
    would accept it."""
    return withdrawal_refusal(document=document) is None and can_withdraw(
        user=user, document=document
    )
