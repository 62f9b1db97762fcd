"""The document page asks here whether to offer the withdraw button."""

from django import template

from ..withdrawal_views import withdrawable

register = template.Library()


@register.simple_tag(takes_context=True)
def document_withdrawable(context, document) -> bool:
    return withdrawable(user=context["request"].user, document=document)
