"""URL map: admin, language switch, health, log in, then the viewflow site at the root.

The site comes last: it owns "/" and every application prefix under it.
"""

from django.contrib import admin
from django.urls import include, path

from .health import healthz
from .site import site

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("", site.urls),
]
