"""gunicorn's settings for `make serve`, from the environment (README: Settings)."""

import os

bind = os.environ.get("GMG_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GMG_WEB_WORKERS", "3"))
threads = int(os.environ.get("GMG_WEB_THREADS", "1"))
timeout = int(os.environ.get("GMG_WEB_TIMEOUT", "60"))
graceful_timeout = 20
# Each request is logged by the portal itself (kit/logs.py), as JSON with its id.
accesslog = None
errorlog = "-"
# Behind a proxy, the proxy's headers are trusted (DJANGO_BEHIND_PROXY); gunicorn itself trusts the local one.
forwarded_allow_ips = os.environ.get("GMG_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "gmg_portal.wsgi:application"
# gunicorn's own lines (start, workers, signals) as JSON too, like the portal's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "kit.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False, "qualname": "gunicorn.error"},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False, "qualname": "gunicorn.access"},
    },
}
