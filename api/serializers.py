"""What the API shows of documents, registers, tasks, notifications and tokens (read-only
shapes; every write goes through a workflows or notifications service)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from viewflow.workflow.models import Task

from evaluations.models import Campaign
from notifications.models import Notification
from tracking.models import TrackedTask
from workflows.models import (
    Attachment,
    Direction,
    Document,
    Recipient,
    Register,
    TimelineEntry,
)

from .models import Token


class DocumentSerializer(serializers.ModelSerializer):
    """A document as lists show it."""

    document_type = serializers.CharField(source="document_type.name", help_text=_("Type."))
    status_label = serializers.CharField(source="get_status_display", help_text=_("Status."))
    sender_agency = serializers.CharField(
        source="sender_agency.code", default=None, help_text=_("Code of the sending agency.")
    )

    class Meta:
        model = Document
        fields = [
            "id", "direction", "status", "status_label", "document_type", "notation", "number",
            "issued_on", "summary", "sender_agency", "sender_name", "urgency", "confidentiality",
            "register_year", "register_number", "registered_at", "created_at",
        ]
        extra_kwargs = {
            "direction": {"help_text": _("incoming (văn bản đến) or outgoing (văn bản đi).")},
            "notation": {"help_text": _("Number and symbol as printed, e.g. 1719-CV/HU.")},
            "register_number": {"help_text": _("Incoming or outgoing number in the register.")},
        }


class RecipientSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", default=None)

    class Meta:
        model = Recipient
        fields = ["agency", "name", "email", "is_addressee", "delivered_at"]


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField(help_text=_("Where to download the file."))

    class Meta:
        model = Attachment
        fields = ["id", "kind", "name", "content_type", "size", "uploaded_at", "download_url"]

    def get_download_url(self, attachment) -> str:
        return reverse("api:document-file-content", args=[attachment.document_id, attachment.pk])


class DocumentDetailSerializer(DocumentSerializer):
    """A document with its body, signer, links, recipients and files."""

    recipients = RecipientSerializer(many=True)
    files = AttachmentSerializer(source="attachments", many=True)
    responds_to = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields, "body", "place", "signer_name", "signer_title",
            "signing_authority", "signed_at", "answered_at", "responds_to", "recipients",
            "files",
        ]


class TimelineEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display")
    actor = serializers.CharField(source="actor.get_full_name", default=None)

    class Meta:
        model = TimelineEntry
        fields = ["id", "action", "action_label", "actor", "comment", "created_at"]


class RegisterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Register
        fields = ["id", "name", "direction", "is_confidential", "is_active"]


class TaskDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "notation", "summary", "direction"]


class TaskSerializer(serializers.ModelSerializer):
    """A step of a document's flow waiting for someone."""

    flow = serializers.SerializerMethodField(help_text=_("incoming or outgoing."))
    step = serializers.SerializerMethodField(
        help_text=_("register, direct, hand_over, handle, opinion, draft, comment, review, "
                    "sign or issue.")
    )
    step_label = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner.username", default=None)
    document = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "process_id", "flow", "step", "step_label", "status", "created",
                  "owner", "document"]

    def get_flow(self, task) -> str:
        return Direction.INCOMING if "Incoming" in task.process.flow_class.__name__ else (
            Direction.OUTGOING
        )

    def get_step(self, task) -> str:
        return task.flow_task.name

    def get_step_label(self, task) -> str:
        return str(task.flow_task)

    @extend_schema_field(TaskDocumentSerializer)
    def get_document(self, task):
        return TaskDocumentSerializer(task.process.documentprocess.document).data


class FormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    initial = serializers.JSONField(allow_null=True)
    choices = serializers.ListField(child=serializers.JSONField(), allow_null=True)


class TaskDetailSerializer(TaskSerializer):
    form = serializers.SerializerMethodField(
        help_text=_("The fields `complete` accepts for this step, as the web form shows them.")
    )

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "form"]

    @extend_schema_field(FormFieldSerializer(many=True))
    def get_form(self, task):
        return self.context.get("form_fields", [])


class TaskCompleteSerializer(serializers.Serializer):
    """The step's decision; which fields apply depends on the step (see `form` of the task).

    register: received_on, note · direct: lead_unit, supporting_units, working_days or due_on,
    instruction · hand_over: handler · handle: outcome (reply | close), note · opinion and
    comment: text · draft: document_type, summary, body, urgency, confidentiality,
    recipient_agencies, other_recipients, copy_lines, proposed_signer, commenters ·
    review and sign: decision (approve | return), reason · issue: issued_on.
    `other_recipients` and `copy_lines` hold one “name; e-mail” per line, as on the page.
    """

    received_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    lead_unit = serializers.IntegerField(required=False)
    supporting_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    working_days = serializers.IntegerField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    instruction = serializers.CharField(required=False, allow_blank=True)
    handler = serializers.IntegerField(required=False)
    outcome = serializers.ChoiceField(choices=["reply", "close"], required=False)
    text = serializers.CharField(required=False)
    document_type = serializers.IntegerField(required=False)
    summary = serializers.CharField(required=False)
    body = serializers.CharField(required=False)
    urgency = serializers.CharField(required=False)
    confidentiality = serializers.CharField(required=False)
    recipient_agencies = serializers.ListField(child=serializers.IntegerField(), required=False)
    other_recipients = serializers.CharField(required=False, allow_blank=True)
    copy_lines = serializers.CharField(required=False, allow_blank=True)
    proposed_signer = serializers.IntegerField(required=False, allow_null=True)
    commenters = serializers.ListField(child=serializers.IntegerField(), required=False)
    decision = serializers.ChoiceField(choices=["approve", "return"], required=False)
    reason = serializers.CharField(required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False)


class SendSignedSerializer(serializers.Serializer):
    """A document signed on paper, as “Gửi văn bản đã ký” takes it (multipart, with the scan).

    Checked by the web page's own form; `recipient_agencies` and `drafting_unit` are ids,
    `other_recipients` and `copy_lines` one “name; e-mail” per line. The date of issue is
    the server's when the number is taken (no backdating): none is sent.
    """

    document_type = serializers.IntegerField()
    summary = serializers.CharField(max_length=500)
    recipient_agencies = serializers.ListField(child=serializers.IntegerField(), required=False)
    other_recipients = serializers.CharField(required=False, allow_blank=True)
    copy_lines = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(max_length=150)
    signer_title = serializers.CharField(max_length=100)
    signing_authority = serializers.CharField(required=False, allow_blank=True)
    drafting_unit = serializers.IntegerField(required=False, allow_null=True)
    responds_to = serializers.IntegerField(required=False, allow_null=True)
    urgency = serializers.CharField(required=False)
    confidentiality = serializers.CharField(required=False)
    file = serializers.FileField(help_text=_("The signed scan (PDF or DOCX)."))


class ReceiveSerializer(serializers.Serializer):
    """A document received on paper or by e-mail, as “Nhập văn bản đến” takes it (multipart).

    Checked by the web page's own form; its registration is then the clerk's `register` task.
    """

    document_type = serializers.IntegerField()
    notation = serializers.CharField(max_length=100)
    issued_on = serializers.DateField()
    summary = serializers.CharField(max_length=500)
    sender_agency = serializers.IntegerField(required=False, allow_null=True)
    sender_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    urgency = serializers.CharField(required=False)
    confidentiality = serializers.CharField(required=False)
    file = serializers.FileField(help_text=_("The scan (PDF or DOCX)."))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text=_("Why the document is withdrawn; the recipients read it.")
    )


class TrackedTaskSerializer(serializers.ModelSerializer):
    """A tracked task (nhiệm vụ được giao) with its status as of the period's day."""

    category = serializers.CharField(source="category.name", default=None)
    lead_unit = serializers.CharField(source="lead_unit.name", default=None)
    handler = serializers.CharField(source="handler.get_full_name", default=None)
    status = serializers.SerializerMethodField(
        help_text=_("on_time, late, in_progress, overdue, blocked or no_deadline, as of the "
                    "period's day (today for a single task).")
    )

    class Meta:
        model = TrackedTask
        fields = ["id", "content", "giving_body", "source_notation", "category", "lead_unit",
                  "handler", "assigned_on", "due_on", "original_due_on", "completed_on",
                  "blocked_on", "blocked_reason", "result", "status"]

    def get_status(self, task) -> str:
        as_of = self.context.get("as_of")
        return task.status_on(as_of) if as_of else task.status


class FiguresSerializer(serializers.Serializer):
    """The counts of one group; `total` counts the tasks with a deadline."""

    key = serializers.JSONField(help_text=_("Id of the group (month: its first day)."))
    label = serializers.CharField()
    total = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    overdue = serializers.IntegerField()
    blocked = serializers.IntegerField()
    no_deadline = serializers.IntegerField()
    missed = serializers.IntegerField()
    extended = serializers.IntegerField()
    on_time_percent = serializers.CharField()
    missed_percent = serializers.CharField()

    def to_representation(self, figures):
        data = super().to_representation(figures)
        key = figures.key
        data["key"] = key.isoformat() if hasattr(key, "isoformat") else key
        return data


class StatisticsSerializer(serializers.Serializer):
    """The statistics page's figures for the period, in the user's scope."""

    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    as_of = serializers.DateField(source="period.as_of")
    totals = FiguresSerializer()
    by_category = FiguresSerializer(many=True)
    by_unit = FiguresSerializer(many=True)
    by_person = FiguresSerializer(many=True)
    by_month = FiguresSerializer(many=True)


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Campaign
        fields = ["id", "title", "period", "owner", "status", "status_label", "deadline"]


class ResultRowSerializer(serializers.Serializer):
    """One line of a campaign's results: total, rank n/N, class and the change of rank."""

    participant = serializers.CharField(source="submission.participant_name")
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    by_criterion = serializers.ListField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2),
        help_text=_("Subtotal of each first-level criterion, in the campaign's order."),
    )
    rank = serializers.IntegerField()
    count = serializers.IntegerField()
    classification = serializers.CharField()
    previous_rank = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(
        allow_null=True, help_text=_("Places gained since the previous campaign.")
    )


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "text", "url", "created_at", "read_at"]


class TokenSerializer(serializers.ModelSerializer):
    """A token as listed: never its key."""

    class Meta:
        model = Token
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class TokenCreatedSerializer(TokenSerializer):
    """A new token with its key, shown this once."""

    key = serializers.CharField(read_only=True, help_text=_("Keep it: it is not shown again."))

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class ErrorSerializer(serializers.Serializer):
    """Every error answer."""

    message = serializers.CharField(help_text=_("What went wrong, in Vietnamese."))
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages by field name (non_field_errors for the whole request)."),
    )


