"""The publishing pipeline in the Wagtail admin.

- Releases are a snippet (title, time, articles chosen with an article-only page
  chooser) with a status page: publishing/views/releases.py.
- A "Publishing" menu: the calendar (publishing/views/calendar.py) and releases.
  Webhook endpoints and the delivery log have their own menu
  (publishing/webhooks/wagtail_hooks.py).
- The pipeline health panel on the dashboard: publishing/views/health.py.
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from publishing import planning
from publishing.models import ScheduleZone
from publishing.views import calendar
from publishing.views.health import PipelineHealthPanel
from publishing.views.releases import ReleaseViewSet

register_snippet(ReleaseViewSet)


@hooks.register("register_admin_menu_item")
def register_publishing_menu():
    menu = Menu(
        items=[
            MenuItem(
                "Calendar",
                reverse("publishing_calendar"),
                name="publishing-calendar",
                icon_name="date",
                order=100,
            ),
            MenuItem(
                "Releases",
                reverse("publishing_releases:list"),
                name="publishing-releases",
                icon_name="calendar-alt",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(
        "Publishing", menu, name="publishing", icon_name="date", order=250
    )


@hooks.register("register_admin_urls")
def register_calendar_urls():
    return [
        path(
            "publishing/calendar/",
            calendar.CalendarView.as_view(),
            name="publishing_calendar",
        ),
        path(
            "publishing/calendar/events/",
            calendar.events,
            name="publishing_calendar_events",
        ),
        path(
            "publishing/calendar/articles/<int:article_id>/reschedule/",
            calendar.reschedule_article,
            name="publishing_calendar_article_reschedule",
        ),
        path(
            "publishing/calendar/articles/<int:article_id>/cancel/",
            calendar.cancel_article,
            name="publishing_calendar_article_cancel",
        ),
        path(
            "publishing/calendar/releases/<int:release_id>/reschedule/",
            calendar.reschedule_release,
            name="publishing_calendar_release_reschedule",
        ),
        path(
            "publishing/calendar/releases/<int:release_id>/cancel/",
            calendar.cancel_release,
            name="publishing_calendar_release_cancel",
        ),
    ]


@hooks.register("after_publish_page")
def remember_the_editors_zone(request, page):
    """A schedule set in the page editor was made in the editor's zone (the one
    the admin read the go-live and expiry fields in): the calendar shows it there,
    as it shows the API's schedules in theirs."""
    page.refresh_from_db(fields=["live", "expire_at"])
    pending = planning.pending_publication(page.pk) is not None
    if pending or (page.live and page.expire_at is not None):
        ScheduleZone.objects.update_or_create(
            page_id=page.pk,
            defaults={"time_zone": timezone.get_current_timezone_name()},
        )
    else:
        ScheduleZone.objects.filter(page_id=page.pk).delete()


@hooks.register("register_log_actions")
def register_release_log_actions(actions):
    actions.register_action(
        "publishing.release.unschedule", "Unschedule release", "Release unscheduled"
    )


@hooks.register("construct_homepage_panels")
def add_pipeline_health_panel(request, panels):
    panels.append(PipelineHealthPanel())
