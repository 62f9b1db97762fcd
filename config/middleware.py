"""Language choice (Vietnamese unless the person picked English), the login redirect, and
sessions that end after inactivity without being written at every request."""

import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import translation

from .sessions import WRITTEN_KEY

# A session is written again once its expiry would move by at least this much.
SESSION_REWRITE_AFTER = 60


class PreferredLanguageMiddleware:
    """Activate the language from the language cookie, else LANGUAGE_CODE.

    Django's LocaleMiddleware lets the browser's Accept-Language win, which would show an
    English page to a clerk whose browser is in English; here Vietnamese is the default and
    English is a deliberate choice (the set_language view writes the cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SiteLoginRequiredMiddleware:
    """Send a signed-out visitor of any site page to the login page, then back (`next`).

    viewflow's SiteMiddleware answers 403 to anyone without the site's view permission,
    anonymous visitors included: the task link of a reminder e-mail opened in a fresh
    browser would end on an error page instead of the login. Listed just before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        in_site = match is not None and "site" in getattr(match.url_name, "extra", {})
        if in_site and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return None


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, for sessions that end SESSION_COOKIE_AGE after the last
    request, written at most once a minute (SESSION_SAVE_EVERY_REQUEST is off).

    Writing the session at every request, which is how Django restarts the idle clock,
    makes every page read an UPDATE and a commit. Here a session is written when it
    changed, or when its last write is a minute old or more: a person is logged out
    between SESSION_COOKIE_AGE minus a minute and SESSION_COOKIE_AGE after their last
    request, never later.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            # When it was written last (config.sessions); none for a session of before.
            written = session.get(WRITTEN_KEY, 0)
            # Read, a cookie naming no live session leaves the session empty: nothing to keep.
            if not session.is_empty() and time.time() - written >= SESSION_REWRITE_AFTER:
                session.modified = True
        return super().process_response(request, response)
