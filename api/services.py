"""Creating, using and revoking API tokens."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Token

KEY_PREFIX = "lt_"
# A token's last use is written at most this often: not one UPDATE per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, created_by: User | None = None) -> tuple[Token, str]:
    """A new token acting as `user`; returns it with its key, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name (what it is for).")})
    if not user.is_active:
        raise ValidationError(_("An inactive user cannot have tokens."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = Token.objects.create(
        user=user, name=name[:100], prefix=key[:10], digest=key_digest(key),
        created_by=created_by or user,
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: Token) -> Token:
    """Revoke a token now; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, key: str) -> Token | None:
    """The live token of `key` with its active user, its last use recorded; else None."""
    token = (
        Token.objects.select_related("user")
        .filter(digest=key_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
