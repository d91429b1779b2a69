"""Erase a comment author by email: ``manage.py erase_comment_author a@b.c``
anonymises their comments; ``--remove`` deletes them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from comments.privacy import erase_author


class Command(BaseCommand):
    help = "Anonymise (or, with --remove, delete) every comment by an email address."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--remove",
            action="store_true",
            help="delete the comments instead of anonymising them",
        )

    def handle(self, email: str, remove: bool, **options) -> None:
        if "@" not in email:
            raise CommandError(f"{email!r} is not an email address")
        erased = erase_author(email, remove=remove)
        verb = "Deleted" if remove else "Anonymised"
        self.stdout.write(
            f"{verb} {erased.comments} comment(s) on {erased.articles} article(s)."
        )
