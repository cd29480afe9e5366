# One image for web (gunicorn), Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libmagic1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 app
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=app:app . .
# Build-time only: compile catalogues and collect static files; no secret is baked in.
RUN SECRET_KEY=build-only SITE_URL=http://build.invalid python manage.py compilemessages --ignore ".venv/*" -v 0 \
 && SECRET_KEY=build-only SITE_URL=http://build.invalid python manage.py collectstatic --noinput -v 0
USER app
EXPOSE 8000
CMD ["gunicorn", "cop_site.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--access-logformat", "%(t)s \"%(r)s\" %(s)s %(b)s %(M)sms"]
