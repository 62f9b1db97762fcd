"""Every API error as JSON: `{"message": <Vietnamese sentence>, "code", "errors": {field: [..]}}`.

Services raise Django's ValidationError and PermissionDenied; here they become 400 and 403
like DRF's own errors, and a missing or foreign object is a 404 (never a 403).
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    status.HTTP_400_BAD_REQUEST: lambda: _("The data sent is not valid; see the errors by field."),
}


def _as_drf(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(detail=str(exc) or None)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return exceptions.NotFound(_("Not found."))
    return exc


def exception_handler(exc, context):
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        message = MESSAGES[status.HTTP_400_BAD_REQUEST]()
        code = "invalid"
    else:
        errors = {}
        message = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        code = getattr(exc, "default_code", "error")
        if isinstance(getattr(exc, "detail", None), exceptions.ErrorDetail):
            code = exc.detail.code
    response.data = {"message": message, "code": code, "errors": errors}
    return response
