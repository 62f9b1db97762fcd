"""Template context every page gets, site pages or not."""

from django.conf import settings

from .site import site


def site_theme(request) -> dict:
    """The site's colours, for the pages outside viewflow's site (log in, errors), which
    otherwise show viewflow's default blue and purple."""
    return {"site_theme": {"primary": site.primary_color, "secondary": site.secondary_color}}


def upload_limit(request) -> dict:
    """The largest file a person may attach, for the browser's warning (upload_limit.js)."""
    return {"attachment_max_bytes": settings.ATTACHMENT_MAX_BYTES}
