"""The documents application of the viewflow site: registers, document pages, sending."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from .document_views import (
    AttachmentDownloadView,
    AttachmentPreviewView,
    DeadlinePreviewView,
    DocumentDetailView,
    DocumentListView,
    DraftPreviewView,
    NewDraftView,
    ReceiveView,
    RegisterExcelView,
    RegisterPrintView,
    RegisterView,
    SendSignedView,
    can_draft,
    can_receive,
    can_send_signed,
)
from .models import Direction
from .withdrawal_views import WithdrawView


def _register_paths() -> list:
    """Each direction's register page, its printable page and its Excel file, named
    `register_<direction>`, `register_<direction>_print` and `register_<direction>_excel`."""
    return [
        path(f"register/{direction}/{suffix}", view.as_view(direction=direction),
             name=f"register_{direction}{name_suffix}")
        for direction in (Direction.INCOMING, Direction.OUTGOING)
        for suffix, name_suffix, view in (
            ("", "", RegisterView),
            ("print/", "_print", RegisterPrintView),
            ("excel/", "_excel", RegisterExcelView),
        )
    ]


class DocumentsApp(Application):
    """“Văn bản”: every document the person may see, the two registers, the document page."""

    title = _("Documents")
    icon = "description"
    app_name = "documents"
    menu_template_name = "workflows/documents/menu.html"

    index_path = path("", DocumentListView.as_view(), name="index")
    # viewflow adds `urlpatterns` to the `*_path` attributes: six paths from one table.
    urlpatterns = _register_paths()
    deadline_preview_path = path(
        "deadline-preview/", DeadlinePreviewView.as_view(), name="deadline_preview"
    )
    send_signed_path = path("send-signed/", SendSignedView.as_view(), name="send_signed")
    receive_path = path("receive/", ReceiveView.as_view(), name="receive")
    new_draft_path = path("new/", NewDraftView.as_view(), name="new_draft")
    detail_path = path("<int:pk>/", DocumentDetailView.as_view(), name="detail")
    withdraw_path = path("<int:pk>/withdraw/", WithdrawView.as_view(), name="withdraw")
    attachment_path = path(
        "<int:pk>/files/<int:attachment_pk>/", AttachmentDownloadView.as_view(),
        name="attachment",
    )
    attachment_preview_path = path(
        "<int:pk>/files/<int:attachment_pk>/preview/", AttachmentPreviewView.as_view(),
        name="attachment_preview",
    )
    draft_preview_path = path("<int:pk>/preview/", DraftPreviewView.as_view(), name="preview")

    def get_context_data(self, request):
        return {
            "documents_can_send_signed": can_send_signed(request.user),
            "documents_can_receive": can_receive(request.user),
            "documents_can_draft": can_draft(request.user),
        }
