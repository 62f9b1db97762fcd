"""Refuse a request body larger than REQUEST_MAX_BYTES before reading any of it.

Django's own caps (DATA_UPLOAD_MAX_MEMORY_SIZE) apply to the non-file part of a form and
only once parsing has begun; the attachment check runs after the whole upload was received.
This middleware answers 413 from the Content-Length header alone, so a 2 GB upload is not
read, spooled to disk or parsed. (gunicorn has no body limit; a proxy in front should have
one too, e.g. nginx `client_max_body_size`.)
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            return self._too_large(request, length, limit)
        return self.get_response(request)

    def _too_large(self, request, length, limit):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            message = _(
                "The data sent (%(size)s) is larger than the %(limit)s allowed. Go back, "
                "choose smaller files (each at most %(file_limit)s) and send again."
            ) % {
                "size": filesizeformat(length), "limit": filesizeformat(limit),
                "file_limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            }
            title = _("Request too large")
        response = HttpResponse(
            f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
            f"<title>{escape(title)}</title><h1>{escape(title)}</h1>"
            f"<p>{escape(message)}</p></html>",
            status=413,
        )
        # The body was not read: the connection cannot carry another request.
        response["Connection"] = "close"
        return response
