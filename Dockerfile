# The production image: gunicorn (web), Celery worker and beat share it (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/static

WORKDIR /app
RUN useradd --create-home --uid 1000 lienthong

COPY . .
# Editable: settings find templates/ and locale/ next to the code (BASE_DIR is /app).
RUN pip install -e . \
    # Hashed file names for WhiteNoise; the secret is a throw-away, only collectstatic runs.
    && DEBUG=False SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p "$VAR_DIR" && chown lienthong:lienthong "$VAR_DIR"

USER lienthong
EXPOSE 8000
# Processes, threads and request limits: config/gunicorn.py (WEB_CONCURRENCY, WEB_THREADS).
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
