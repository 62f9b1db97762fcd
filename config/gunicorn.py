"""gunicorn's settings for the web service: the image (Dockerfile), docker-compose.yml and
the queue-page benchmark (bench/inbox.py) all start it with `gunicorn -c config/gunicorn.py
config.wsgi`.

Threaded workers: a page spends part of its time waiting for PostgreSQL, during which
another request of the same process runs, and one process per core keeps the cores busy
without a process per person waiting. Two processes of four threads serve eight requests
at once on the two cores the system is sized for; WEB_CONCURRENCY (processes) and
WEB_THREADS change that on a larger server. Keep CONN_MAX_AGE on (the default with
DEBUG=False): a thread reuses its database connection instead of opening one per request.
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
accesslog = "-"
# A request line or headers beyond these are refused before Django sees them; bodies above
# REQUEST_MAX_BYTES get 413 from config/limits.py (gunicorn itself has no body limit).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


def post_worker_init(worker):
    """Freeze what the worker has loaded (Django, the apps, the URLconf) out of the garbage
    collector's reach once the application is loaded.

    Those objects (about 150,000) live as long as the process, yet every full collection
    walked them all: about 110 ms of CPU on the 2-core server (1.5 ms once frozen), during
    which every thread of the process waits (the GIL is held), once every one or two
    hundred queue pages: a pause that lands in the pages' p95. The URLconf is loaded here,
    as the first request would, so that it is frozen too.
    """
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)
    gc.collect()
    gc.freeze()
