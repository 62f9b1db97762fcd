"""`{% notification_bell %}`: the bell of the top bar with the person's unread count."""

from django import template

from ..selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    """The bell for the logged-in person (nothing for a visitor); one COUNT query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user=user)}
