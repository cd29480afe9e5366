import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_site.settings")

app = Celery("cop_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The apps' own `tasks` modules, and those of the reports app's two products.
app.autodiscover_tasks(["reports.statistics", "reports.documents"])
