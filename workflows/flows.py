"""The two procedures of Decree 30/2020/NĐ-CP as viewflow flows.

Each flow reads like the paper procedure, one node per step, grouped by who acts. Gateways
test the process only (`decision`, set by the step's service); each step names its services
(`.Service`), which its view calls before `activation.execute()` and which find their node
by it (`workflows.steps`). Tasks are open through GROUP-level object permissions on the
agency or the unit (never per document), or assigned to one chosen person.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from accounts.models import Unit
from accounts.selectors import in_user_agency, user_agency_id

from . import nodes
from .models import DocumentProcess
from .services import documents, handling, routing
from .views import incoming as incoming_views
from .views import outgoing as outgoing_views


def _agency(process):
    return process.agency


def _lead_unit(process):
    return process.artifact.lead_unit


def _drafting_unit(process):
    # The task stores the unit's key only (its queue's object): no read of the unit.
    unit_id = process.document.drafting_unit_id
    return Unit(pk=unit_id) if unit_id else None


class DocumentFlowMixin:
    """What both flows share: the process model, the lock and who may see a process."""

    process_class = DocumentProcess
    # Two leaders approving at once, or a comment arriving while the join completes, must
    # serialise on the process row (FOR UPDATE NOWAIT, retried) on PostgreSQL.
    lock_impl = lock.select_for_update_lock

    def has_view_permission(self, user, obj=None):
        """Anyone working in an agency sees its processes; the selectors do the scoping."""
        if obj is None:
            return user.is_superuser or user_agency_id(user) is not None
        return in_user_agency(user, obj.coerced.agency_id)

    def start_process(self, activation, document):
        activation.process.document = document
        activation.process.agency = document.agency
        return activation.process


class IncomingFlow(DocumentFlowMixin, flow.Flow):
    """Incoming document

    Decree 30 Arts. 20–24: the clerk registers the document the agency received (số đến);
    the head or a deputy directs it to a lead unit, supporting units and a deadline; the lead
    unit's head hands it to a specialist, who answers it with an outgoing document or closes
    it with a note, while every supporting unit gives its opinion. The incoming document is
    done when its reply is issued (or it is closed); opinions still pending then are cancelled.
    """

    process_title = _("Incoming document")
    process_description = _(
        "Register, direct, hand over and answer a document the agency received."
    )
    process_summary_template = "{{ process.document }}"

    start = (
        nodes.StartHandle(this.start_process)
        .Service(routing.incoming_start)
        .Annotation(title=_("Document received"))
        .Next(this.register)
    )

    # văn thư
    register = (
        nodes.View(incoming_views.RegisterView.as_view())
        .Service(handling.incoming_register)
        .Annotation(title=_("Register the incoming document"))
        .Permission("accounts.register_incoming", obj=_agency)
        .Next(this.direct)
    )

    # lãnh đạo
    direct = (
        nodes.View(incoming_views.DirectView.as_view())
        .Service(handling.incoming_direct)
        .Annotation(title=_("Direct the handling"))
        .Permission("accounts.direct_incoming", obj=_agency)
        .Next(this.split_work)
    )

    split_work = (
        nodes.Split()
        .Annotation(title=_("Lead unit and supporting units"))
        .Next(this.hand_over)
        .Next(this.give_opinion, data_source=this.supporting_units)
    )

    # đơn vị chủ trì
    hand_over = (
        nodes.View(incoming_views.HandOverView.as_view())
        .Service(handling.incoming_hand_over)
        .Annotation(title=_("Hand over to a specialist"))
        .Permission("accounts.distribute_unit_work", obj=_lead_unit)
        .Next(this.handle)
    )

    handle = (
        nodes.View(incoming_views.HandleView.as_view())
        .Service(handling.incoming_reply, handling.incoming_close)
        .Annotation(title=_("Handle the document"))
        .Assign(lambda activation: activation.process.artifact.handler)
        .Next(this.check_reply)
    )

    check_reply = (
        nodes.If(lambda activation: activation.process.decision == routing.Decision.REPLY)
        .Annotation(title=_("Answered with a document?"))
        .Then(this.await_reply)
        .Else(this.join_work)
    )

    await_reply = (
        nodes.Handle(this.reply_issued)
        .Service(routing.reply_issued)
        .Annotation(title=_("Wait for the reply to be issued"))
        .Next(this.join_work)
    )

    # đơn vị phối hợp
    give_opinion = (
        nodes.UnitTaskView(incoming_views.OpinionView.as_view())
        .Service(handling.opinion_give)
        .Annotation(title=_("Give the supporting unit's opinion"))
        .Permission("accounts.handle_unit_work")
        .Next(this.join_work)
    )

    join_work = (
        nodes.Join(continue_on_condition=this.lead_unit_done, on_cancel=this.opinions_cancelled)
        .Annotation(title=_("Handling and opinions finished"))
        .Next(this.end)
    )

    end = nodes.End().Annotation(title=_("Done"))

    def supporting_units(self, activation):
        assignment = activation.process.artifact
        return [{"unit": pk} for pk in assignment.supporting_unit_pks]

    def lead_unit_done(self, activation, active_tasks):
        """Once the reply is issued or the document closed, pending opinions are moot."""
        return activation.process.decision in routing.FINAL_DECISIONS

    def opinions_cancelled(self, activation, tasks):
        return routing.opinions_cancelled(activation=activation, tasks=tasks)

    def reply_issued(self, activation, reply):
        return routing.incoming_answered(activation=activation, reply=reply)


class OutgoingFlow(DocumentFlowMixin, flow.Flow):
    """Outgoing document

    The specialist drafts (type, summary, body, recipients, proposed signer, files) and may
    ask chosen people for comments (phối hợp, the collective leadership); the unit head
    approves or returns the draft with a reason; the head or a deputy approves and signs
    (a deputy signs “KT.”) or returns it; the clerk issues it with the next number of the
    outgoing register; it is delivered to the recipient agencies on the system.
    """

    process_title = _("Outgoing document")
    process_description = _("Draft, comment, review, sign, issue and deliver a document.")
    process_summary_template = "{{ process.document }}"

    start = (
        nodes.StartHandle(this.start_process)
        .Service(routing.outgoing_start)
        .Annotation(title=_("Drafting started"))
        .Next(this.draft)
    )

    # chuyên viên
    draft = (
        nodes.View(outgoing_views.DraftView.as_view())
        .Service(handling.draft_save)
        .Annotation(title=_("Draft the document"))
        .ToldOnlyWhenReturned()
        .Assign(lambda activation: activation.process.document.drafted_by)
        .Next(this.check_comments)
    )

    check_comments = (
        nodes.If(lambda activation: activation.process.decision == routing.Decision.COMMENTS)
        .Annotation(title=_("Comments requested?"))
        .Then(this.split_comments)
        .Else(this.review)
    )

    split_comments = (
        nodes.Split()
        .Annotation(title=_("Ask for comments"))
        .Next(this.comment, data_source=this.commenters)
    )

    # người được xin ý kiến
    comment = (
        nodes.View(outgoing_views.CommentView.as_view())
        .Service(handling.comment_give)
        .Annotation(title=_("Comment on the draft"))
        .Assign(this.comment_owner)
        .Next(this.join_comments)
    )

    join_comments = nodes.Join().Annotation(title=_("Comments gathered")).Next(this.review)

    # trưởng đơn vị
    review = (
        nodes.View(outgoing_views.ReviewView.as_view())
        .Service(handling.draft_review)
        .Annotation(title=_("Review the draft"))
        .Permission("accounts.review_unit_drafts", obj=_drafting_unit)
        .Next(this.check_review)
    )

    check_review = (
        nodes.If(lambda activation: activation.process.decision == routing.Decision.APPROVED)
        .Annotation(title=_("Approved by the unit head?"))
        .Then(this.sign)
        .Else(this.draft)
    )

    # lãnh đạo
    sign = (
        nodes.View(outgoing_views.SignView.as_view())
        .Service(handling.draft_sign)
        .Annotation(title=_("Approve and sign"))
        .Permission("accounts.sign_outgoing", obj=_agency)
        .Next(this.check_sign)
    )

    check_sign = (
        nodes.If(lambda activation: activation.process.decision == routing.Decision.SIGNED)
        .Annotation(title=_("Signed?"))
        .Then(this.issue)
        .Else(this.draft)
    )

    # văn thư
    issue = (
        nodes.View(outgoing_views.IssueView.as_view())
        .Service(handling.draft_issue)
        .Annotation(title=_("Number and issue"))
        .Permission("accounts.issue_outgoing", obj=_agency)
        .Next(this.deliver)
    )

    deliver = (
        nodes.Function(this.deliver_document)
        .Annotation(title=_("Deliver to the recipients"))
        .Next(this.end)
    )

    end = nodes.End().Annotation(title=_("Done"))

    def commenters(self, activation):
        return [{"person": pk} for pk in activation.process.data.get("commenters", [])]

    def comment_owner(self, activation):
        return routing.person_of(task=activation.task)

    def deliver_document(self, activation):
        # Passed in-line by the issue step, whose transaction checked and rendered the
        # document under its row lock and left that instance on the process
        # (`handling.draft_issue`); the delivery takes its number last (`outgoing_deliver`).
        return documents.outgoing_deliver(document=activation.process.document, locked=True)
