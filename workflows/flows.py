"""The two procedures of Decree 30/2020/NĐ-CP as viewflow flows (minimal first version)."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow.views import UpdateProcessView

from .models import DocumentProcess


class IncomingFlow(flow.Flow):
    """Incoming document

    A document delivered to or received by an agency: the clerk registers it.
    """

    process_class = DocumentProcess
    process_title = _("Incoming document")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.register)

    # văn thư
    register = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .Annotation(title=_("Register the incoming document"))
        .Permission("accounts.register_incoming", obj=lambda p: p.agency)
        .Next(this.end)
    )

    end = flow.End()

    def start_process(self, activation, document):
        activation.process.document = document
        activation.process.agency = document.agency
        return activation.process
