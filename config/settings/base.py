"""Settings shared by every environment.

Values that differ between machines come from the environment (django-environ), optionally
through a `.env` file at the project root. Nothing secret lives here.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

SERVICE_NAME = "Early Help Quality Assurance"
# Who answers questions about the service; shown in the accessibility statement and privacy notice.
SERVICE_CONTACT_EMAIL = env("SERVICE_CONTACT_EMAIL", default="earlyhelp.qa@example.org")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "earlyhelp.accounts.admin_config.EarlyHelpAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # Our apps, one per stage of the Quality and Improvement Cycle (see docs/decisions/).
    "earlyhelp.core",
    "earlyhelp.accounts",
    "earlyhelp.cases",
    "earlyhelp.standards",
    "earlyhelp.audits",
    "earlyhelp.sampling",
    "earlyhelp.voice",
    "earlyhelp.learning",
    "earlyhelp.reports",
    "earlyhelp.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages name children and families: browsers are asked to keep no copy of them.
    "earlyhelp.accounts.not_stored.SignedInPagesNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Deny by default: every view must declare who may use it (earlyhelp/accounts/access.py).
    "earlyhelp.accounts.access.AccessPolicyMiddleware",
    # Axes last, as its documentation asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

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
                "earlyhelp.core.context_processors.service",
                "earlyhelp.accounts.navigation.navigation",
            ],
        },
    },
]

# Django's admin keeps its own renderer; our forms use the GOV.UK renderer (earlyhelp/core/forms).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'earlyhelp.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web process reads.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses sign-in for locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Lock-out after repeated failed sign-ins (django-axes): 5 failures for one e-mail address from
# one network address lock that pair for 30 minutes; an administrator can unlock sooner from the
# admin. Not by network address alone: many staff share one council or NHS address, and one
# person's typing must not lock out a whole office (docs/decisions/0004-sign-in-lock-out.md).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429

SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    # GOV.UK Frontend from npm: fonts, images and its JavaScript, never copied into git.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # Our stylesheet, compiled from frontend/application.scss by `npm run build:css`.
    BASE_DIR / "var" / "static-build",
    BASE_DIR / "frontend" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Early Help QA <no-reply@example.org>")
# The service's own address, for links in e-mails (which are sent by the task worker, outside
# any request).
SERVICE_URL = env("SERVICE_URL", default="http://127.0.0.1:8000")

# Working days leave out these dates (yyyy-mm-dd, comma-separated) instead of the built-in
# bank holidays of England and Wales (earlyhelp/core/working_days.py).
BANK_HOLIDAYS = env.list("BANK_HOLIDAYS", default=None)

# Scheduled work (docs/deploy.md): the daily jobs start at this hour, local time.
DAILY_JOBS_HOUR = env.int("DAILY_JOBS_HOUR", default=6)
# An escalation not acknowledged after this many working days is chased, and after twice as
# many raised to the QA lead.
ESCALATION_CHASE_WORKING_DAYS = env.int("ESCALATION_CHASE_WORKING_DAYS", default=2)
# Auditors are reminded of audits due within this many days, and of overdue ones.
AUDIT_DUE_SOON_DAYS = env.int("AUDIT_DUE_SOON_DAYS", default=5)
# A shared audit with no response is closed after this many days.
FEEDBACK_CLOSE_AFTER_DAYS = env.int("FEEDBACK_CLOSE_AFTER_DAYS", default=28)

# A closure form is due for an EHA closed within this many days (it is completed with the family
# at the end of the EHA; older closures, such as imported history, are not listed as due).
CLOSURE_FORM_DUE_DAYS = env.int("CLOSURE_FORM_DUE_DAYS", default=90)

# Family feedback: how long an invitation's private link works (days), and how text messages are
# sent ("earlyhelp.voice.sms.ConsoleBackend" prints them; a provider's backend in production).
FEEDBACK_LINK_DAYS = env.int("FEEDBACK_LINK_DAYS", default=28)
SMS_BACKEND = env("SMS_BACKEND", default="earlyhelp.voice.sms.ConsoleBackend")
# Failed attempts at a feedback link or code allowed from one address in ten minutes.
FEEDBACK_ATTEMPTS_LIMIT = env.int("FEEDBACK_ATTEMPTS_LIMIT", default=10)

# The monthly dip sample: how many EHAs, and how long an EHA stays out of samples after an audit.
DIP_SAMPLE_SIZE = env.int("DIP_SAMPLE_SIZE", default=8)
DIP_SAMPLE_EXCLUDE_AUDITED_MONTHS = env.int("DIP_SAMPLE_EXCLUDE_AUDITED_MONTHS", default=12)
# Drift rules (the framework's defaults): no review for more than this many weeks; first review
# within this many weeks of the TAF meeting; open longer than these many months.
DRIFT_NO_REVIEW_WEEKS = env.int("DRIFT_NO_REVIEW_WEEKS", default=12)
DRIFT_FIRST_REVIEW_WEEKS = env.int("DRIFT_FIRST_REVIEW_WEEKS", default=6)
DRIFT_AUDIT_AFTER_MONTHS = env.int("DRIFT_AUDIT_AFTER_MONTHS", default=9)
DRIFT_CONTACT_AFTER_MONTHS = env.int("DRIFT_CONTACT_AFTER_MONTHS", default=12)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Private links (a family's feedback link, a staff survey's) never reach the log.
    "filters": {
        "private_links": {"()": "earlyhelp.core.log_filters.RedactPrivateLinks"},
        "svg_property_noise": {"()": "earlyhelp.core.log_filters.SvgPropertyNoise"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["private_links"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Axes logs every failed sign-in with the address tried; keep that at warning and above.
        "axes": {"level": "WARNING"},
        # Hundreds of warnings a report PDF about the charts' SVG styles, which are drawn anyway.
        "weasyprint": {"filters": ["svg_property_noise"]},
        # WeasyPrint reports each step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Demo data (`manage.py load_demo_data`) is only for development and test installations.
DEMO_DATA_ALLOWED = False

PARTNERSHIP_NAME = env("PARTNERSHIP_NAME", default="Cumbria Safeguarding Children Partnership")

# Shared by the web and task-worker processes: import progress is passed through the cache.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL",
        default=f"filecache://{VAR_DIR / 'cache'}",
    )
}

# The largest data report a person may upload (the command line has no limit).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=50)
