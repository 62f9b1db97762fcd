"""Thin API views: read through the selectors (agency scoping included), write through the
services. Another agency's object is a 404, as on the web pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations.selectors import campaign_get_for, campaign_list_for, campaign_results_for
from notifications.selectors import notification_list_for
from notifications.services.inbox import notification_read
from tracking.forms import statistics_scope
from tracking.selectors import statistics_for
from tracking.selectors import task_get_for as tracked_task_get_for
from workflows.document_forms import ReceiveForm, SendSignedForm
from workflows.document_views import can_receive, can_send_signed
from workflows.models import Direction, Document
from workflows.queues import task_get_for, task_inbox_for, task_queue_for
from workflows.selectors import (
    document_get_for,
    document_list_for,
    document_search_for,
    register_entries_for,
    register_list_for,
)
from workflows.services.documents import incoming_receive, outgoing_cancel, outgoing_send_signed
from workflows.services.routing import task_claim
from workflows.services.search import search_planned

from . import serializers as api_serializers
from .pagination import CappedPagination
from .selectors import token_list_for
from .services import token_create, token_revoke
from .steps import step_complete, step_form_fields

ERRORS = {
    400: OpenApiResponse(api_serializers.ErrorSerializer, description=_("Invalid data.")),
    401: OpenApiResponse(api_serializers.ErrorSerializer, description=_("Not logged in.")),
    403: OpenApiResponse(api_serializers.ErrorSerializer, description=_("Not allowed.")),
    404: OpenApiResponse(api_serializers.ErrorSerializer, description=_("Not found.")),
}


class DocumentFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200,
        help_text=_("Search: number and symbol, summary, sender, body and the files' text; "
                    "case and diacritics do not matter. Results by relevance."),
    )
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    document_type = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=Document.Status.choices, required=False)
    sender_agency = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Id of the sending agency.")
    )
    date_from = serializers.DateField(required=False, help_text=_("Document date from."))
    date_to = serializers.DateField(required=False, help_text=_("Document date to."))


def _form_answers(form_class, request):
    """The web page's form filled with the request, valid (else its errors, as a 400); a field
    left out takes what the page shows in it before anyone types."""
    # request.POST is the multipart body without its files (a JSON body has none).
    data = request.POST.copy() if hasattr(request.data, "getlist") else dict(request.data)
    for name, field in form_class(user=request.user).fields.items():
        if name not in data and field.initial is not None:
            data[name] = field.initial() if callable(field.initial) else field.initial
    form = form_class(data=data, files=request.FILES, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form


@extend_schema_view(
    list=extend_schema(
        summary=_("Documents"), parameters=[DocumentFilterSerializer],
        description=_("Documents the user may see, newest first, or by relevance with `q`."),
    ),
    retrieve=extend_schema(
        summary=_("A document"),
        responses={200: api_serializers.DocumentDetailSerializer, **ERRORS},
    ),
)
@extend_schema(tags=[_("Documents")])
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = api_serializers.DocumentSerializer
    pagination_class = CappedPagination

    def list(self, request, *args, **kwargs):
        with search_planned():
            return super().list(request, *args, **kwargs)

    def page_rows(self, ids):
        return document_list_for(user=self.request.user).filter(pk__in=ids)

    def get_queryset(self):
        filters = DocumentFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        return document_search_for(user=self.request.user, text=data.pop("q", ""), **data)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return api_serializers.DocumentDetailSerializer
        return super().get_serializer_class()

    def get_object(self):
        return document_get_for(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("Files of a document"),
        responses={200: api_serializers.AttachmentSerializer(many=True), **ERRORS},
    )
    @action(detail=True, pagination_class=None)
    def files(self, request, pk=None):
        document = self.get_object()
        serializer = api_serializers.AttachmentSerializer(document.attachments.all(), many=True)
        return Response(serializer.data)

    @extend_schema(
        summary=_("Download a file"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    @action(detail=True, url_path="files/<int:file_id>/content", pagination_class=None)
    def file_content(self, request, pk=None, file_id=None):
        document = self.get_object()
        attachment = get_object_or_404(document.attachments.all(), pk=file_id)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
            content_type=attachment.content_type,
        )

    @extend_schema(
        summary=_("Timeline of a document"),
        responses={200: api_serializers.TimelineEntrySerializer(many=True), **ERRORS},
    )
    @action(detail=True, pagination_class=None)
    def timeline(self, request, pk=None):
        document = self.get_object()
        serializer = api_serializers.TimelineEntrySerializer(document.timeline.all(), many=True)
        return Response(serializer.data)

    def _created(self, document):
        document = document_get_for(user=self.request.user, pk=document.pk)
        return Response(
            api_serializers.DocumentDetailSerializer(document).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("Send a document signed on paper"),
        description=_("As “Gửi văn bản đã ký”: the clerk's document takes the next number of "
                      "the outgoing register, the scan is its issued file, and it is delivered."),
        request={"multipart/form-data": api_serializers.SendSignedSerializer},
        responses={201: api_serializers.DocumentDetailSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="send-signed")
    def send_signed(self, request):
        if not can_send_signed(request.user):
            raise PermissionDenied
        form = _form_answers(SendSignedForm, request)
        return self._created(
            outgoing_send_signed(clerk=request.user, **form.signed_document())
        )

    @extend_schema(
        summary=_("Record a document received outside the system"),
        description=_("As “Nhập văn bản đến”: the document and its scan are recorded; its "
                      "registration is then a `register` task in the clerks' queue."),
        request={"multipart/form-data": api_serializers.ReceiveSerializer},
        responses={201: api_serializers.DocumentDetailSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def receive(self, request):
        if not can_receive(request.user):
            raise PermissionDenied
        form = _form_answers(ReceiveForm, request)
        return self._created(incoming_receive(clerk=request.user, **form.cleaned_data))

    @extend_schema(
        summary=_("Withdraw an issued document"),
        description=_("As “Thu hồi”: the head or the clerk, with a reason; the number stays "
                      "taken and every recipient's copy is marked withdrawn."),
        request=api_serializers.WithdrawSerializer,
        responses={200: api_serializers.DocumentDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        document = self.get_object()
        answer = api_serializers.WithdrawSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        outgoing_cancel(
            document=document, clerk=request.user, reason=answer.validated_data["reason"]
        )
        return Response(api_serializers.DocumentDetailSerializer(
            document_get_for(user=request.user, pk=document.pk)
        ).data)


class RegisterEntriesFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)


@extend_schema_view(
    list=extend_schema(summary=_("Registers of the user's agency")),
    retrieve=extend_schema(
        summary=_("A register"), responses={200: api_serializers.RegisterSerializer, **ERRORS}
    ),
)
@extend_schema(tags=[_("Registers")])
class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = api_serializers.RegisterSerializer

    def get_queryset(self):
        return register_list_for(user=self.request.user)

    @extend_schema(
        summary=_("Entries of a register"),
        description=_("The register's lines of one year (default: this year), in number order."),
        parameters=[RegisterEntriesFilterSerializer],
        responses={200: api_serializers.DocumentSerializer(many=True), **ERRORS},
    )
    @action(detail=True)
    def entries(self, request, pk=None):
        register = self.get_object()
        filters = RegisterEntriesFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        entries = register_entries_for(
            user=request.user, direction=register.direction,
            confidential=register.is_confidential,
            year=filters.validated_data.get("year", timezone.localdate().year),
            text=filters.validated_data.get("q", ""),
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(
            api_serializers.DocumentSerializer(page, many=True).data
        )


@extend_schema(tags=[_("Tasks")])
class TaskViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The user's work: inbox (“Việc của tôi”), queue (“Việc chờ nhận”), claim, complete."""

    lookup_value_converter = "int"
    serializer_class = api_serializers.TaskSerializer

    def get_object(self):
        return task_get_for(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(summary=_("A task, with the fields its step accepts"),
                   responses={200: api_serializers.TaskDetailSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        task = self.get_object()
        context = {"form_fields": step_form_fields(task=task, http_request=request._request)}
        return Response(api_serializers.TaskDetailSerializer(task, context=context).data)

    def _list(self, tasks):
        page = self.paginate_queryset(tasks.order_by("created", "pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary=_("My tasks (inbox)"),
                   responses={200: api_serializers.TaskSerializer(many=True)})
    @action(detail=False)
    def inbox(self, request):
        return self._list(task_inbox_for(user=request.user))

    @extend_schema(summary=_("Tasks waiting to be taken (queue)"),
                   responses={200: api_serializers.TaskSerializer(many=True)})
    @action(detail=False)
    def queue(self, request):
        return self._list(task_queue_for(user=request.user))

    @extend_schema(summary=_("Take a task from the queue"), request=None,
                   responses={200: api_serializers.TaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task = task_claim(task=self.get_object(), user=request.user)
        return Response(self.get_serializer(task_get_for(user=request.user, pk=task.pk)).data)

    @extend_schema(
        summary=_("Do a task: the step's decision"),
        description=_("The same decision as the task's web page, checked by the same rules. "
                      "A task still in the queue is taken first."),
        request=api_serializers.TaskCompleteSerializer,
        responses={200: api_serializers.TaskSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self.get_object()
        decision = api_serializers.TaskCompleteSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        step_complete(
            task=task, user=request.user, http_request=request._request,
            data=decision.validated_data, files=request.FILES,
        )
        return Response(self.get_serializer(task_get_for(user=request.user, pk=task.pk)).data)


@extend_schema_view(
    list=extend_schema(summary=_("My notifications")),
    retrieve=extend_schema(
        summary=_("A notification"),
        responses={200: api_serializers.NotificationSerializer, **ERRORS},
    ),
)
@extend_schema(tags=[_("Notifications")])
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = api_serializers.NotificationSerializer

    def get_queryset(self):
        return notification_list_for(user=self.request.user)

    @extend_schema(summary=_("Mark a notification read"), request=None,
                   responses={200: api_serializers.NotificationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_read(user=request.user, pk=self.get_object().pk)
        return Response(self.get_serializer(notification).data)


class PeriodQuerySerializer(serializers.Serializer):
    """The statistics page's question: a period (default: this year) and a narrowing."""

    period = serializers.ChoiceField(choices=["month", "quarter", "year", "custom"],
                                     required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    start = serializers.DateField(required=False, help_text=_("With period=custom."))
    end = serializers.DateField(required=False, help_text=_("With period=custom."))
    as_of = serializers.DateField(required=False, help_text=_("Statuses as of this day."))
    unit = serializers.IntegerField(required=False, min_value=1, help_text=_("Lead unit id."))
    person = serializers.CharField(
        required=False, help_text=_("Handler id, or “none” for tasks not handed over yet.")
    )


class TrackedTaskFilterSerializer(PeriodQuerySerializer):
    status = serializers.ChoiceField(
        choices=["on_time", "late", "in_progress", "overdue", "blocked", "no_deadline",
                 "missed"], required=False,
    )
    category = serializers.CharField(required=False, help_text=_("Category id, or “none”."))


def _statistics_scope(request, filters_class):
    filters_class(data=request.query_params).is_valid(raise_exception=True)
    scope = statistics_scope(user=request.user, query=request.query_params)
    if scope.form.is_bound and not scope.form.is_valid():
        raise ValidationError(scope.form.errors.as_data())
    return scope


@extend_schema(tags=[_("Tracking")])
class TrackedTaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tracked tasks (theo dõi nhiệm vụ), scoped as on the tracking pages."""

    lookup_value_converter = "int"
    serializer_class = api_serializers.TrackedTaskSerializer

    @extend_schema(summary=_("Tracked tasks of a period"), parameters=[TrackedTaskFilterSerializer],
                   description=_("The tasks behind a figure of the statistics, by deadline."))
    def list(self, request):
        scope = _statistics_scope(request, TrackedTaskFilterSerializer)
        rows = scope.rows(status=request.query_params.get("status", ""),
                          category=request.query_params.get("category", ""))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(
            page, many=True, context={"as_of": scope.period.as_of}
        ).data)

    @extend_schema(summary=_("A tracked task"),
                   responses={200: api_serializers.TrackedTaskSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        task = tracked_task_get_for(user=request.user, pk=pk)
        return Response(self.get_serializer(task).data)

    @extend_schema(summary=_("Statistics of a period"), parameters=[PeriodQuerySerializer],
                   responses={200: api_serializers.StatisticsSerializer, **ERRORS})
    @action(detail=False, pagination_class=None)
    def statistics(self, request):
        scope = _statistics_scope(request, PeriodQuerySerializer)
        statistics = statistics_for(tasks=scope.tasks, period=scope.period)
        return Response(api_serializers.StatisticsSerializer(statistics).data)


@extend_schema_view(
    list=extend_schema(summary=_("Evaluation campaigns")),
    retrieve=extend_schema(
        summary=_("An evaluation campaign"),
        responses={200: api_serializers.CampaignSerializer, **ERRORS},
    ),
)
@extend_schema(tags=[_("Evaluations")])
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns the user's agency owns, or opened ones it takes part in."""

    lookup_value_converter = "int"
    serializer_class = api_serializers.CampaignSerializer

    def get_queryset(self):
        return campaign_list_for(user=self.request.user).order_by("-deadline", "-pk")

    def get_object(self):
        return campaign_get_for(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        summary=_("Results of a campaign"),
        description=_("For the owner agency; for a participant once published (else 404)."),
        responses={200: api_serializers.ResultRowSerializer(many=True), **ERRORS},
    )
    @action(detail=True, pagination_class=None)
    def results(self, request, pk=None):
        rows = campaign_results_for(user=request.user, campaign=self.get_object())
        return Response(api_serializers.ResultRowSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary=_("My API tokens")),
    retrieve=extend_schema(
        summary=_("An API token"), responses={200: api_serializers.TokenSerializer, **ERRORS}
    ),
    create=extend_schema(
        summary=_("Create an API token"),
        responses={201: api_serializers.TokenCreatedSerializer, **ERRORS},
    ),
    destroy=extend_schema(summary=_("Revoke an API token"), responses={204: None, **ERRORS}),
)
@extend_schema(tags=[_("Tokens")])
class TokenViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    lookup_value_converter = "int"
    serializer_class = api_serializers.TokenSerializer

    def get_queryset(self):
        return token_list_for(user=self.request.user)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = token_create(user=request.user, name=serializer.validated_data["name"])
        token.key = key
        return Response(
            api_serializers.TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        token_revoke(token=instance)
