import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# Current cached delivery responses are answered before Django's handler runs.
from delivery.middleware import FastCacheApplication  # noqa: E402

application = FastCacheApplication(application)
