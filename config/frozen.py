"""What a long-lived process has loaded, put out of the garbage collector's reach: a gunicorn
worker (config/gunicorn.py) and a Celery worker (config/celery.py) call it once started."""

import gc


def loaded_frozen() -> None:
    """Load the URLconf (as the first request or e-mail's link would), then freeze every
    object alive so far out of the collector's reach.

    Those objects (Django, the apps, the URLconf: about 150,000) live as long as the
    process, yet every full collection walked them all: about 110 ms of CPU on the 2-core
    server (1.5 ms once frozen), during which every thread of the process waits.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)
    gc.collect()
    gc.freeze()
