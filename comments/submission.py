"""Taking a reader's comment: the contract's rules (CONTRACT.md section 6) as one
function, :func:`submit_comment`, that the API calls with the parsed JSON.

Every failure is a :class:`cms.api_contract.ApiError` naming its field, so that
no input, however hostile, reaches the database in a form it would refuse (a
lone surrogate, a NUL byte) or turns into a 5xx.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cms.api_contract import ApiError
from cms.content.models import ArticlePage
from comments import events
from comments.models import MAX_DEPTH, BannedAddress, Comment, CommentThread

MAX_NAME = 80
MAX_EMAIL = 254
MAX_BODY = 5000
FIELDS = ("author_name", "author_email", "body", "parent_id", "website")
# The form's honeypot: hidden from people, filled in by naive bots.
HONEYPOT = "website"


@dataclass(frozen=True)
class Submitted:
    id: int
    status: str


def _text(payload: dict, field: str, maximum: int, multiline: bool) -> str:
    value = payload.get(field)
    if not isinstance(value, str):
        raise ApiError(
            "invalid_parameter", f"{field} is required and must be text.", field
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(
            "invalid_parameter", f"{field} is not valid Unicode text.", field
        ) from None
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        raise ApiError(
            "invalid_parameter", f"{field} contains control characters.", field
        )
    value = value.strip()
    if not value:
        raise ApiError("invalid_parameter", f"{field} must not be empty.", field)
    if len(value) > maximum:
        raise ApiError(
            "invalid_parameter",
            f"{field} is longer than {maximum:,} characters.",
            field,
        )
    return value


def _email(payload: dict) -> str:
    value = payload.get("author_email")
    message = "author_email must be a valid email address."
    if not isinstance(value, str) or len(value) > MAX_EMAIL or "\x00" in value:
        raise ApiError("invalid_parameter", message, "author_email")
    value = value.strip()
    try:
        value.encode("utf-8")
        validate_email(value)
    except (UnicodeEncodeError, ValidationError):
        raise ApiError("invalid_parameter", message, "author_email") from None
    return value


def _parent(payload: dict, article: ArticlePage) -> Comment | None:
    value = payload.get("parent_id")
    if value is None:
        return None
    # bool is an int in Python; JSON's true is not an id.
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ApiError(
            "invalid_parameter", "parent_id must be a comment id.", "parent_id"
        )
    parent = (
        Comment.objects.filter(
            pk=value, article=article, status=Comment.Status.APPROVED
        )
        .only("pk", "depth")
        .first()
    )
    if parent is None:
        raise ApiError(
            "invalid_parameter",
            "parent_id is not an approved comment of this article.",
            "parent_id",
        )
    if parent.depth >= MAX_DEPTH:
        raise ApiError(
            "invalid_parameter",
            f"Replies nest at most {MAX_DEPTH} deep.",
            "parent_id",
        )
    return parent


def clean(payload: Any, article: ArticlePage) -> dict:
    """The submission's fields, checked; raises ApiError naming the first bad one."""
    if not isinstance(payload, dict):
        raise ApiError("invalid_body", "The body must be a JSON object.")
    for name in payload:
        if name not in FIELDS:
            raise ApiError(
                "unknown_field",
                f"Unknown field {str(name)[:64]!r}; allowed: {', '.join(FIELDS)}.",
                str(name)[:64],
            )
    author_name = _text(payload, "author_name", MAX_NAME, multiline=False)
    author_email = _email(payload)
    body = _text(payload, "body", MAX_BODY, multiline=True)
    parent = _parent(payload, article)
    honeypot = payload.get(HONEYPOT)
    return {
        "author_name": author_name,
        "author_email": author_email,
        "body": body,
        "parent": parent,
        "spam": bool(honeypot),
    }


def comments_open(article: ArticlePage) -> bool:
    """Open unless a moderator closed them or COMMENTS_CLOSE_AFTER_DAYS have
    passed since the article was first published (0: never)."""
    return comments_open_for(article.pk, article.first_published_at)


def comments_open_for(article_id: int, first_published_at: datetime | None) -> bool:
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days and first_published_at:
        if timezone.now() - first_published_at > timedelta(days=days):
            return False
    return not CommentThread.objects.filter(article_id=article_id, closed=True).exists()


def _known_author(article_email: str) -> bool:
    return Comment.objects.filter(
        author_email__iexact=article_email,
        status=Comment.Status.APPROVED,
        anonymised=False,
    ).exists()


def submit_comment(article: ArticlePage, payload: Any, address_hash: str) -> Submitted:
    """Store a reader's comment: pending (``comment.created``), spam (the
    honeypot, or a banned address: told nothing), or approved at once where
    COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS allows (``comment.approved``). The
    answer always says pending: it must not tell a bot it was caught, nor anyone
    whether an address has comments approved here."""
    if not comments_open(article):
        raise ApiError(
            "comments_closed", "Comments on this article are closed.", status=403
        )
    fields = clean(payload, article)
    spam = fields.pop("spam")
    parent = fields["parent"]
    status = Comment.Status.PENDING
    if spam or BannedAddress.objects.filter(address_hash=address_hash).exists():
        status = Comment.Status.SPAM
    elif settings.COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS and _known_author(
        fields["author_email"]
    ):
        status = Comment.Status.APPROVED
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            depth=parent.depth + 1 if parent else 1,
            status=status,
            address_hash=address_hash,
            **fields,
        )
        if status == Comment.Status.PENDING:
            events.comment_created(comment)
        elif status == Comment.Status.APPROVED:
            events.comments_approved([comment])
    return Submitted(comment.pk, Comment.Status.PENDING)
