"""Reads of the api app: a person's own tokens."""

from django.db.models import QuerySet

from accounts.models import User

from .models import Token


def token_list_for(*, user: User) -> QuerySet:
    """The tokens acting as `user`, newest first (revoked ones included, with their time)."""
    return Token.objects.filter(user=user).order_by("-created_at", "-pk")
