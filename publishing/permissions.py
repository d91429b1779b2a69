"""Who may see and manage schedules and releases: the one place that decides.

Every door (the publishing API, the admin's calendar and release views, the
dashboard's health panel) asks these functions, so the rule cannot drift between
them (CONTRACT section 2):

- A user sees a schedule, a release or a draft's title only if they may edit every
  article it concerns (Wagtail's page permissions: "change", or "add" on their
  own pages). Superusers see everything.
- A user manages a release (schedules or unschedules it) only with publish
  permission on every article in it, the rule Wagtail applies to a page's own
  go-live schedule.

Articles deleted from a release are left out (nothing is left to protect); a release
with no remaining article needs the permission on some page, so an account with no
permission at all never sees or moves one.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from publishing.models import Release, ReleaseItem

VIEW = "change"
MANAGE = "publish"


def _policy() -> PagePermissionPolicy:
    return PagePermissionPolicy()


def pages_for(user, action: str = VIEW) -> QuerySet[Page]:
    """The pages ``user`` may edit (``"change"``) or publish (``"publish"``)."""
    if user is None or not user.is_active:
        return Page.objects.none()
    return _policy().instances_user_has_any_permission_for(user, {action})


def releases_for(user, action: str = VIEW, queryset=None) -> QuerySet[Release]:
    """The releases whose every (remaining) article ``user`` may edit or publish."""
    queryset = Release.objects.all() if queryset is None else queryset
    if user is None or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not _policy().user_has_permission(user, action):
        return queryset.none()
    forbidden_item = ReleaseItem.objects.filter(
        release=OuterRef("pk"), page__isnull=False
    ).exclude(page_id__in=pages_for(user, action).values("id"))
    return queryset.exclude(Exists(forbidden_item))


def can_see_release(user, release: Release) -> bool:
    return releases_for(user, VIEW).filter(pk=release.pk).exists()


def can_manage_release(user, release: Release) -> bool:
    """Publish permission on every article in the release (schedule or unschedule)."""
    return releases_for(user, MANAGE).filter(pk=release.pk).exists()


def can_see_page(user, page_id: int) -> bool:
    return pages_for(user, VIEW).filter(pk=page_id).exists()


def may_publish_any(user) -> bool:
    """Whether ``user`` may publish some page (a release with no article yet)."""
    if user is None or not user.is_active:
        return False
    return _policy().user_has_permission(user, MANAGE)
