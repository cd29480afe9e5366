import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_site.settings")

app = Celery("cop_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
