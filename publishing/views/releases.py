"""Releases in the admin: create, add articles with a chooser, schedule, see status."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateTimeInput, AdminPageChooser
from wagtail.models import Page
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from cms.content.models import ArticlePage
from publishing import permissions, releases
from publishing.local_time import (
    NonexistentTime,
    in_zone,
    wall_clock,
    zone_named,
    zoned,
)
from publishing.models import Release
from publishing.views.calendar import InvalidTime, parse_future, schedule_release_for
from publishing.views.timeline import site_zone


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as typed, zone-less: the form reads it in the zone chosen
    beside it (Django's field would read it in the editor's zone)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        try:
            parsed = parse_datetime(text) if "\x00" not in text else None
        except ValueError:
            parsed = None
        if parsed is None:
            parsed = forms.BaseTemporalField.to_python(self, text)
        return parsed.replace(tzinfo=None)

    def prepare_value(self, value):
        return value


class ReleaseForm(WagtailAdminModelForm):
    """A draft release's title, time and articles; a scheduled one is read-only.

    The time is a wall-clock time in the release's own zone: 09:00 with
    America/New_York is 09:00 in New York on that day (14:00 UTC in winter).
    """

    publish_at = WallClockDateTimeField(
        required=False, widget=AdminDateTimeInput(), label="Publish at"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.publish_at is not None:
            self.initial["publish_at"] = wall_clock(
                self.instance.publish_at, zone_named(self.instance.time_zone)
            )

    def clean_time_zone(self):
        zone = (self.cleaned_data.get("time_zone") or "").strip()
        if not zone:
            return settings.TIME_ZONE
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError("Not a known IANA time zone.") from None
        return zone

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status != Release.Status.DRAFT:
            raise forms.ValidationError(
                f"The release is {self.instance.status}: unschedule it before "
                "changing it."
            )
        wall = cleaned.get("publish_at")
        if wall is not None and "time_zone" in cleaned:
            try:
                at = in_zone(wall, zone_named(cleaned["time_zone"]))
            except NonexistentTime as exc:
                self.add_error("publish_at", str(exc))
                return cleaned
            if at <= timezone.now():
                self.add_error("publish_at", "The publishing time is in the past.")
            cleaned["publish_at"] = at
        return cleaned


def zone_choices() -> list[tuple[str, str]]:
    return [("", f"Site time zone ({settings.TIME_ZONE})")] + [
        (z, z) for z in sorted(available_timezones())
    ]


class ReleaseDetailView(WagtailAdminTemplateMixin, TemplateView):
    """Status, time, articles and, for a failed (or at-risk) release, each reason."""

    template_name = "publishing/release_detail.html"
    header_icon = "calendar-alt"
    _show_breadcrumbs = True
    viewset: ReleaseViewSet

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.release = get_object_or_404(
            Release.objects.prefetch_related("items"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return self.release.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("publishing_releases:list"), "label": "Releases"},
            {"url": "", "label": self.release.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.release
        items = list(release.items.all())
        pages = {
            p.id: p for p in Page.objects.filter(id__in=[i.article_id for i in items])
        }
        failures = {f.get("article_id"): f["reason"] for f in release.failures or []}
        at_risk = []
        if release.status == Release.Status.SCHEDULED:
            at_risk = releases.release_failures(release)
        risks = {f.get("article_id"): f["reason"] for f in at_risk}
        zone = release.time_zone or settings.TIME_ZONE
        context.update(
            release=release,
            when=zoned(release.publish_at, zone) if release.publish_at else None,
            zone=zone,
            site_zone=site_zone().key,
            rows=[
                {
                    "article_id": item.article_id,
                    "page": pages.get(item.article_id),
                    "failure": failures.get(item.article_id),
                    "risk": risks.get(item.article_id),
                }
                for item in items
            ],
            general_failures=[
                f["reason"]
                for f in (release.failures or []) + at_risk
                if f.get("article_id") is None
            ],
            can_edit=release.status == Release.Status.DRAFT,
            can_schedule=release.status
            in (Release.Status.DRAFT, Release.Status.SCHEDULED),
        )
        return context


@require_POST
def schedule_release(request: HttpRequest, pk: int):
    release = get_object_or_404(permissions.releases_for(request.user), pk=pk)
    publish_at = None
    if request.POST.get("at"):
        try:
            zone = ZoneInfo(release.time_zone) if release.time_zone else None
            publish_at = parse_future(request.POST["at"], zone)
        except InvalidTime as exc:
            messages.error(request, f"“{release.title}” was not scheduled: {exc}")
            return HttpResponseRedirect(
                reverse("publishing_releases:detail", args=[pk])
            )
    schedule_release_for(request, release, publish_at)
    return HttpResponseRedirect(reverse("publishing_releases:detail", args=[pk]))


@require_POST
def unschedule_release(request: HttpRequest, pk: int):
    release = get_object_or_404(permissions.releases_for(request.user), pk=pk)
    if not permissions.can_manage_release(request.user, release):
        raise PermissionDenied
    if releases.unschedule_release(release, user=request.user):
        messages.success(request, f"“{release.title}” is back to draft.")
    else:
        messages.error(request, f"“{release.title}” is not scheduled.")
    return HttpResponseRedirect(reverse("publishing_releases:detail", args=[pk]))


class ReleaseIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("items")


def goes_live(release: Release) -> str:
    """The list's "Goes live": in the release's zone, the editor's if another,
    and how far away ("in 21 hours")."""
    if release.publish_at is None:
        return "No time yet"
    when = zoned(release.publish_at, release.time_zone)
    text = f"{when.own:%a %-d %b %Y, %H:%M:%S} {when.own_zone}"
    if not when.same_zone:
        text += f" ({when.editor:%H:%M} {when.editor_zone})"
    return f"{text} · {when.relative}"


class ReleaseViewSet(SnippetViewSet):
    """Releases as a snippet (choosable elsewhere), with a status page of their own."""

    model = Release
    index_view_class = ReleaseIndexView
    icon = "calendar-alt"
    menu_label = "Releases"
    add_to_admin_menu = False  # in the "Publishing" menu (publishing/wagtail_hooks.py)
    url_namespace = "publishing_releases"
    url_prefix = "publishing/releases"
    ordering = ["-created_at"]
    copy_view_enabled = False
    add_to_reference_index = False
    list_filter = ["status"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel(
                "time_zone",
                widget=forms.Select(choices=zone_choices),
                help_text="The zone the time below is in.",
            ),
            FieldPanel(
                "publish_at",
                help_text="When every article goes live, together, in the time zone "
                "above (09:00 stays 09:00 there, summer and winter); seconds "
                "allowed. Set it here, then schedule the release from its page.",
            ),
            InlinePanel(
                "items",
                label="Articles",
                heading="Articles",
                panels=[
                    FieldPanel(
                        "page", widget=AdminPageChooser(target_models=[ArticlePage])
                    )
                ],
            ),
        ],
        base_form_class=ReleaseForm,
    )

    @property
    def list_display(self):
        return [
            TitleColumn(
                "title",
                label="Title",
                get_url=lambda r: reverse("publishing_releases:detail", args=[r.pk]),
            ),
            Column("goes_live", label="Goes live", accessor=goes_live),
            StatusTagColumn(
                "status",
                label="Status",
                primary=lambda r: (
                    r.status in (Release.Status.SCHEDULED, Release.Status.PUBLISHED)
                ),
            ),
            Column(
                "item_count", label="Articles", accessor=lambda r: len(r.items.all())
            ),
        ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/", ReleaseDetailView.as_view(), name="detail"),
            path("<int:pk>/schedule/", schedule_release, name="schedule"),
            path("<int:pk>/unschedule/", unschedule_release, name="unschedule"),
        ]
