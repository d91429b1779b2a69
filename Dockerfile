FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY cms cms
COPY publishing publishing
COPY search search
COPY delivery delivery
RUN pip install .
COPY . .
RUN SECRET_KEY=collectstatic-at-build-time-only DJANGO_SETTINGS_MODULE=cms.settings.dev python manage.py collectstatic --noinput -v 0
EXPOSE 8000
