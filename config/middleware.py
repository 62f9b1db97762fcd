"""Language choice (Vietnamese unless the person picked English) and the login redirect."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils import translation


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
