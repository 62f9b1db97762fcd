"""Settings for lienthong, read from the environment (django-environ).

With nothing set, the project runs embedded: SQLite under var/, a Celery broker on the
filesystem under var/celery/, and e-mail written as files under var/mail/. DATABASE_URL,
REDIS_URL and EMAIL_URL switch to PostgreSQL, Redis and SMTP. README.md lists every variable.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

# GENERAL
DEBUG = env.bool("DEBUG", default=True)
if DEBUG:
    SECRET_KEY = env.str(
        "SECRET_KEY",
        default="django-insecure-lienthong-development-only-never-use-in-production",
    )
else:
    # Production must bring its own secret: no default, start-up fails without one.
    SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# The address people use, for links in e-mails and for CSRF checks behind a proxy. Unset,
# it is the local address `make run` serves (WEB_PORT, which the Makefile exports to the web,
# the worker and beat alike, so e-mails sent by the worker link to the right port).
SITE_URL = env.str(
    "SITE_URL", default=f"http://127.0.0.1:{env.int('WEB_PORT', default=8000)}"
).rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# APPS
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_celery_beat",
    "viewflow",
    "viewflow.workflow",
    "accounts",
    "workcalendar",
    "workflows",
    "notifications",
    "tracking",
    "evaluations",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "auditlog",
    "audit",
    "axes",
    "backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.limits.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.IdleSessionMiddleware",
    "config.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.SiteLoginRequiredMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    "axes.middleware.AxesMiddleware",
]
# The two viewflow middlewares are listed above on purpose, in a known order.
VIEWFLOW = {"AUTOREGISTER": False}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site_theme",
                "config.context_processors.upload_limit",
            ],
        },
    },
]

# DATABASES
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create the folder of its file; a fresh clone has no var/ yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat share one SQLite file in the embedded mode: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    # A statement run again is prepared by the server (psycopg's automatic preparation,
    # which needs server-side binding): a step's statements join up to ten tables, and
    # planning them anew each time cost the database more than running them. `off` goes
    # back to client-side binding, for PgBouncer older than 1.21 in transaction mode.
    prepare_threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    if prepare_threshold != "off":
        DATABASES["default"]["OPTIONS"].update(
            server_side_binding=True, prepare_threshold=int(prepare_threshold)
        )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Kept for a minute in production (gunicorn's threads reuse theirs, config/gunicorn.py);
# not under runserver, which starts a thread, hence a connection, per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
# A kept connection is checked before each request or task: after a PostgreSQL restart, web
# and worker reconnect instead of failing on a dead connection until they are restarted.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# AUTHENTICATION
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username + address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # guardian's backend, checking an object permission in one query instead of two.
    "accounts.backends.OneQueryObjectPermissionBackend",
]
# guardian warns unless its own backend is named; ours extends it.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# INTERNATIONALISATION
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# STATIC AND MEDIA
STATIC_URL = "static/"
# The image collects static files at build time, outside the VAR_DIR volume.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, not hashed: viewflow's CSS names font files it does not ship, which makes
    # the manifest storage's collectstatic fail.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Uploaded attachments (drafts, signed scans) are capped; the form says so in Vietnamese.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# A whole request (a draft with several files) larger than this is refused with 413 before
# its body is read (config.limits); Django's own cap on the non-file part of a form.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=3 * ATTACHMENT_MAX_BYTES)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Files above this go to a temporary file on disk instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-MAIL
# smtp://user:password@host:587/?tls=True, or filemail:////absolute/folder (four slashes:
# with three, django-environ reads a relative path; it is taken relative to BASE_DIR here).
EMAIL_URL = env.str("EMAIL_URL", default=f"filemail:///{VAR_DIR / 'mail'}")
vars().update(env.email_url_config(EMAIL_URL))
EMAIL_FILE_PATH = str(BASE_DIR / EMAIL_FILE_PATH)  # noqa: F821 (set by the line above)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Liên thông văn bản <noreply@lienthong.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# CELERY
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # "localhost" means nothing to this transport; it only keeps kombu from warning.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # config/celery.py creates these folders when the Celery app is first configured.
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when the broker is down: fail fast, the outbox keeps the work.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Modules outside the apps' tasks.py that define tasks (the /healthz heartbeat).
CELERY_IMPORTS = ["config.health"]

# CACHES
# Shared by web, worker and beat (the worker heartbeat of /healthz, viewflow's caches):
# Redis when REDIS_URL is set, else files under VAR_DIR/cache; CACHE_URL overrides both.
CACHES = {
    "default": env.cache_url("CACHE_URL", default=REDIS_URL or f"filecache://{VAR_DIR / 'cache'}")
}
# With Redis (django-redis), a stopped Redis must not fail a page: errors read as cache misses
# (logged), and a Redis that does not answer is given up on after 2 s.
if CACHES["default"]["BACKEND"].startswith("django_redis."):
    CACHES["default"].setdefault("OPTIONS", {}).update(
        IGNORE_EXCEPTIONS=True, SOCKET_CONNECT_TIMEOUT=2, SOCKET_TIMEOUT=2
    )
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# HEALTH
# /healthz sends the worker heartbeat task at most once per this many seconds.
HEALTHZ_HEARTBEAT_INTERVAL = env.int("HEALTHZ_HEARTBEAT_INTERVAL", default=30)

# HOME PAGE
# Providers of the home dashboard's cards (accounts/home.py): each app appends its own.
HOME_CARDS = [
    "workflows.home.cards",
    "notifications.home.cards",
    "tracking.home.cards",
]

# DEMO DATA
# `manage.py load_demo` runs these in order; each is `load(stdout)` and idempotent.
# Apps append their own loaders after the accounts one.
DEMO_LOADERS = [
    "accounts.demo.load_world",
    "workflows.demo.load",
    "tracking.demo.load",
    "evaluations.demo.load",
]

# NOTIFICATIONS
# An e-mail that failed this many times is marked failed and shown to admins.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
# Retry delays grow as base * 2**(attempt-1), capped, with ±50 % jitter (seconds).
NOTIFICATIONS_RETRY_BASE = env.int("NOTIFICATIONS_RETRY_BASE", default=60)
NOTIFICATIONS_RETRY_CAP = env.int("NOTIFICATIONS_RETRY_CAP", default=6 * 60 * 60)
# A row claimed longer ago than this is taken as lost by a crashed worker and sent again.
NOTIFICATIONS_SENDING_LEASE = env.int("NOTIFICATIONS_SENDING_LEASE", default=15 * 60)
# Deadlines handled per sweep transaction; the rest wait for the next batch of the same sweep.
NOTIFICATIONS_SWEEP_BATCH = env.int("NOTIFICATIONS_SWEEP_BATCH", default=200)

# EVALUATIONS
# Participants that have not submitted are reminded this many days before the deadline.
EVALUATIONS_REMIND_DAYS_BEFORE = env.int("EVALUATIONS_REMIND_DAYS_BEFORE", default=3)
# AUDIT TRAIL (django-auditlog; read in the admin, scoped by audit.selectors)
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    "accounts.Agency",
    "accounts.Unit",
    {"model": "accounts.User", "exclude_fields": ["password", "last_login"],
     "m2m_fields": ["groups"]},
    "accounts.RoleGroup",
    "workflows.Register",
    "workflows.RegisterCounter",
    # `delivery` is the reverse one-to-one of a recipient's copy: reading it for the entry of
    # a new document would cost a query for a value that is never there yet.
    {"model": "workflows.Document", "exclude_fields": ["updated_at", "delivery"]},
)
# Fixtures and the test runner's serialized rollback are not changes made by anyone.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
AUDITLOG_STORE_JSON_CHANGES = True

# SESSIONS
# Logged out after this many seconds without a request (each request restarts the clock;
# config.middleware.IdleSessionMiddleware writes the session at most once a minute for it).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ENGINE = "config.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# In the database, but a connection lost while a request saves its session (a PostgreSQL
# restart) does not turn the request's finished work into an error page: config/sessions.py.
SESSION_ENGINE = "config.sessions"

# LOGIN THROTTLING (django-axes)
# After AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# locked for AXES_COOLOFF_HOURS, or until an administrator deletes the attempt in the admin
# ("Access attempts") or runs `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
# Behind the compose/TLS proxy the client address is in X-Forwarded-For.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# CONTENT SECURITY POLICY (django-csp) and the other browser headers
# Everything is served from this site (vendored static files, no CDN). viewflow's Material
# pages and Django's admin use inline style attributes, and viewflow's bulk task pages
# inline onclick handlers, which nonces cannot cover: hence 'unsafe-inline' for both.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # The task screens show a file's or a draft's preview in a frame of our own pages.
        "frame-ancestors": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# SECURITY (production shape)
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Probes call /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Secure-only cookies go with HTTPS: a plain-HTTP trial (compose on localhost) turns both off.
    SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
    CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list binds every subdomain for years: the operator
        # opts in with SECURE_HSTS_PRELOAD=True; until then the deploy check need not nag.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# REST API (api app): sessions for the browser, per-user tokens for programs; API_RATE
# requests per token (e.g. "600/minute"), counted in the shared cache.
API_RATE = env("API_RATE", default="600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liên thông văn bản – API",
    "DESCRIPTION": (
        "Văn bản, sổ văn bản, công việc và thông báo của người dùng, theo đúng quy tắc của "
        "giao diện web. Xác thực bằng phiên đăng nhập hoặc mã truy cập cá nhân "
        "(Authorization: Token <mã>)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "workflows.models.Document.Status",
        "TaskStatusEnum": "viewflow.workflow.status.STATUS",
    },
}
