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
    """Freeze what the worker has loaded (Django, the apps, the URLconf) once the
    application is loaded (`config.frozen`): a full collection walking it was a pause of
    about 110 ms, with the GIL held, every one or two hundred queue pages, landing in the
    pages' p95."""
    from config.frozen import loaded_frozen

    loaded_frozen()
