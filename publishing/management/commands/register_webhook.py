"""Register (or re-key) a webhook endpoint from the command line, for a front end.

``manage.py register_webhook http://127.0.0.1:3000/api/revalidate`` makes the
endpoint for the article events a site revalidates on (those this CMS sends), or,
if one with that URL exists, gives it a new secret and those events; the secret
(``whsec_…``) is printed alone on the last line, for the receiver's environment.
`make frontend` runs it against the embedded default; against another CMS it uses
the publishing API (``POST /api/v1/publishing/webhooks/``) instead.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing.webhooks.models import EVENT_TYPES, Endpoint
from publishing.webhooks.signing import generate_secret

# What a front end revalidates on; an event this CMS does not send is left out.
FRONT_END_EVENTS = ("article.published", "article.updated", "article.unpublished")


class Command(BaseCommand):
    help = "Create or re-key the webhook endpoint at URL; print its secret last."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument(
            "--secret",
            help="the secret to sign with (whsec_…, as the receiver already has it); "
            "default: a new random one",
        )
        parser.add_argument(
            "--event",
            action="append",
            dest="events",
            help="an event type (repeatable); default: the article events",
        )

    def handle(
        self, *args, url: str, events: list[str] | None, secret: str | None, **options
    ):
        wanted = events or [e for e in FRONT_END_EVENTS if e in EVENT_TYPES]
        unknown = sorted(set(wanted) - set(EVENT_TYPES))
        if unknown:
            raise CommandError(f"unknown event types: {', '.join(unknown)}")
        if secret is not None and not secret.startswith("whsec_"):
            raise CommandError("a secret starts with whsec_ (Standard Webhooks)")
        secret = secret or generate_secret()
        with transaction.atomic():
            endpoint = Endpoint.objects.select_for_update().filter(
                url=url
            ).first() or Endpoint(url=url)
            created = endpoint.pk is None
            endpoint.events = wanted
            endpoint.secret = secret
            endpoint.previous_secret = ""
            endpoint.previous_secret_expires_at = None
            endpoint.active = True
            endpoint.disabled_reason = ""
            endpoint.disabled_at = None
            endpoint.full_clean(exclude=["secret"])
            endpoint.save()
        verb = "Created" if created else "Re-keyed"
        self.stderr.write(
            f"{verb} webhook endpoint {endpoint.pk} for {', '.join(wanted)}"
        )
        self.stdout.write(secret)
