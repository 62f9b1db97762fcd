"""Language choice: Vietnamese unless the person picked English (cookie)."""

from django.conf import settings
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
