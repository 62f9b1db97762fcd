"""Rate limits per token (per person for browser sessions), counted in the shared cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import Token


class TokenRateThrottle(SimpleRateThrottle):
    """`API_RATE` requests per token; a session counts per user, anonymous calls per address."""

    scope = "token"

    def get_rate(self):
        return settings.API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, Token):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
