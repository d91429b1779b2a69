"""``manage.py api_tokens``: Wagtail's command, with scopes and an expiry.

    manage.py api_tokens create --user ops --name scheduler \
        --scope publishing:read --scope publishing:write [--expires 2027-06-30T00:00Z]
    manage.py api_tokens list [--user ops] [--include-revoked]
    manage.py api_tokens revoke --id 3

The plaintext is printed once, at creation; only its digest is stored.
"""

from __future__ import annotations

import argparse
import json

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.log_actions import log
from wagtail.management.commands.api_tokens import Command as WagtailCommand
from wagtail.models import APIToken

from publishing.tokens import SCOPES, create_token, grant_of, token_scopes


class Command(WagtailCommand):
    help = "Manage API tokens: create (with scopes and an expiry), list, revoke."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Wagtail's sub-commands, extended in place (argparse has no public lookup).
        (subparsers,) = (
            a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
        )
        create = subparsers.choices["create"]
        create.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            required=True,
            choices=list(SCOPES),
            help="A scope the token holds (repeat for several).",
        )
        create.add_argument(
            "--expires",
            help="When the token stops working: ISO 8601 with an offset.",
        )

    def create(self, *args, user, name, json_output, scopes, expires, **options):
        expires_at = None
        if expires:
            expires_at = parse_datetime(expires)
            if expires_at is None or expires_at.tzinfo is None:
                raise CommandError("--expires must be ISO 8601 with an offset")
            if expires_at <= timezone.now():
                raise CommandError("--expires is in the past")
        instance, plaintext = create_token(
            user=self.get_user(user), name=name, scopes=scopes, expires_at=expires_at
        )
        log(instance, "wagtail.apitoken.create", data={"source": "management_command"})
        if json_output:
            self.stdout.write(
                json.dumps(
                    {
                        "token": plaintext,
                        "prefix": instance.prefix,
                        "name": instance.name,
                        "user": instance.user.get_username(),
                        "created": instance.created.isoformat(),
                        "scopes": sorted(scopes),
                        "expires_at": expires_at.isoformat() if expires_at else None,
                    }
                )
            )
        else:
            self.stdout.write(plaintext)

    def list(self, *args, user, include_revoked, **options):
        tokens = APIToken.objects.select_related("user", "grant").order_by("-created")
        if user:
            tokens = tokens.filter(user=self.get_user(user))
        if not include_revoked:
            tokens = tokens.filter(revoked_at__isnull=True)
        for token in tokens:
            grant = grant_of(token)
            expires = grant.expires_at if grant and grant.expires_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.prefix} …\t{token.name}\t"
                f"{token.user.get_username()}\t{token.created:%Y-%m-%d %H:%M}\t"
                f"scopes={','.join(token_scopes(token)) or 'none'}\t"
                f"expires={expires}\t"
                f"last_used={token.last_used_at or 'never'}\t"
                f"revoked={token.revoked_at or 'no'}"
            )
