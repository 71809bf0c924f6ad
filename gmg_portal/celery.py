"""The Celery application: configured from Django settings (the CELERY_ namespace), tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmg_portal.settings")

app = Celery("gmg_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
