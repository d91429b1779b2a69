"""The pipeline with real celery workers, beats and Redis on the test database.

Each test ends with exactly one publish per item (one live revision, one
"wagtail.publish.scheduled" log entry, one article.published event) and nothing lost.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision

from cms.content.models import ArticlePage
from publishing.models import Release, ReleaseItem
from publishing.tasks import publish_revision_task, publish_revisions_task
from tests.factories import ArticlePageFactory, api_token, publish
from tests.faults.conftest import database_url
from tests.faults.helpers import (
    lateness,
    make_articles,
    percentile,
    publish_log_counts,
    published_at,
    published_event_counts,
    reminders_received,
    schedule_at,
    soon,
)
from tests.support.processes import ROOT, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def all_live(page_ids, timeout):
    return wait_for(
        lambda: len(published_at(page_ids)) == len(page_ids), timeout, interval=0.2
    )


def assert_exactly_once(page_ids):
    assert set(publish_log_counts(page_ids).values()) == {1}
    assert set(published_event_counts(page_ids).values()) == {1}


def test_each_door_publishes_at_its_time(pipeline, section, client, django_user_model):
    pipeline.worker("w1", concurrency=2)
    pipeline.beat()
    user = django_user_model.objects.create_superuser("ops", "o@example.com", "pw")
    token = api_token(user, name="t")
    at = soon(6)

    # The admin: an editor sets "go-live" and presses publish.
    admin_page = ArticlePageFactory(parent=section, title="Admin door")
    admin_page.go_live_at = at
    admin_page.save_revision(user=user).publish(user=user)
    # Wagtail API v3: publish a draft whose go-live is in the future.
    v3_page = ArticlePageFactory(parent=section, title="API v3 door")
    v3_page.go_live_at = at
    v3_page.save_revision(user=user)
    response = client.post(
        f"/api/v3-preview/pages/{v3_page.id}/actions/publish/",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    # Our publishing API.
    api_page = ArticlePageFactory(parent=section, title="Publishing API door")
    response = client.put(
        f"/api/v1/publishing/articles/{api_page.id}/schedule/",
        data={"publish_at": at.isoformat(), "time_zone": "Europe/London"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    # Expiry: a live page set to expire at the same time.
    expiring = publish(ArticlePageFactory(parent=section, title="Expiring"))
    Page.objects.filter(id=expiring.id).update(expire_at=at)

    ids = [admin_page.id, v3_page.id, api_page.id]
    assert published_at(ids) == {}
    assert all_live(ids, timeout=25), pipeline.log("w1")[-3000:]
    for page_id, when in published_at(ids).items():
        assert at <= when <= at + timedelta(seconds=2), (page_id, when - at)
    assert_exactly_once(ids)
    assert wait_for(
        lambda: not ArticlePage.objects.get(id=expiring.id).live, timeout=10
    )
    unpublished_at = list(
        PageLogEntry.objects.filter(
            page_id=expiring.id, action="wagtail.unpublish.scheduled"
        ).values_list("timestamp", flat=True)
    )
    assert len(unpublished_at) == 1
    assert at <= unpublished_at[0] <= at + timedelta(seconds=2)
    # The status endpoint sees the worker's heartbeat and the beat's sweeps.
    status = client.get(
        "/api/v1/publishing/status/", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    # Workers of earlier tests may still be "seen" for a while; ours must be there.
    assert f"w1@{socket.gethostname()}" in [w["name"] for w in status["workers"]]
    assert status["last_sweep_at"] is not None
    assert status["oldest_overdue"] is None
    assert status["healthy"] is True


def test_lateness_over_200_scheduled_publishes(pipeline, section):
    # As docs/operations.md recommends: publishing on its own worker, so that the
    # index updates and webhook fan-out each publish causes never queue before it.
    pipeline.worker("w1", concurrency=4, queues="publishing")
    pipeline.worker("w2", concurrency=1, queues="indexing,webhooks")
    pipeline.beat()
    articles = make_articles(section, 200)
    start = soon(8)
    # 200 publishes over 30 s (6.7/s), within what 4 processes on a 2-core CI box
    # publish (~0.15 s and 40 queries each, mostly Wagtail's own publish): this
    # measures the wake-up precision; bench/schedule_lateness.py measures bursts.
    planned = {
        page_id: start + timedelta(milliseconds=150 * n)
        for n, (page_id, _) in enumerate(articles)
    }
    schedule_at([(rev, planned[page]) for page, rev in articles])
    page_ids = list(planned)
    assert all_live(page_ids, timeout=60), pipeline.log("w1")[-3000:]
    late = lateness(planned, published_at(page_ids))
    p50, p99 = percentile(late, 50), percentile(late, 99)
    print(f"\nlateness over 200: p50={p50:.3f}s p99={p99:.3f}s max={late[-1]:.3f}s")
    assert late[0] >= 0, "published before its time"
    # The target (issue 3) is p99 ≤ 1 s; a shared, noisy CI box gets headroom
    # unless CMS_STRICT_LATENCY=1 asks for the target itself.
    strict = os.environ.get("CMS_STRICT_LATENCY") == "1"
    assert p99 <= (1.0 if strict else 2.5)
    assert late[-1] <= (2.0 if strict else 5.0)
    assert_exactly_once(page_ids)


def test_worker_killed_mid_publish_publishes_once(pipeline, section):
    ((page_id, revision_id),) = make_articles(section, 1)
    pipeline.worker("w1", concurrency=1)
    pipeline.beat()
    assert wait_for(lambda: b"Sending due task" in pipeline.log("beat"), 30)
    # Hold the page row so that the worker's publish blocks half-way through.
    holder = _hold_row_lock(page_id)
    try:
        schedule_at([(revision_id, soon(1))])
        assert wait_for(
            lambda: b"publish_revisions_task" in pipeline.log("w1"), timeout=20
        ), pipeline.log("w1")[-3000:]
        waiting = wait_for(lambda: _waiting_on_lock()[0], timeout=10)
        assert waiting, _waiting_on_lock()[1]
        children = pipeline.children("w1")
        assert children
        for pid in children:
            subprocess.run(["kill", "-9", str(pid)], check=False)
    finally:
        holder.rollback()
        holder.close()
    # The message is requeued (reject on worker lost) or re-sent by the sweep.
    assert all_live([page_id], timeout=30), pipeline.log("w1")[-3000:]
    assert b"WorkerLostError" in pipeline.log("w1")
    assert_exactly_once([page_id])
    assert Page.objects.get(id=page_id).live_revision_id == revision_id


# RELIABILITY.md R4 asks for 50; the suite runs a few of each kind.
KILL_ITERATIONS = int(os.environ.get("KILL_ITERATIONS", "2"))


def test_worker_killed_before_and_after_commit_again_and_again(
    pipeline, section, tmp_path
):
    paused = tmp_path / "paused"
    paused.mkdir()
    pipeline.worker(
        "w1",
        concurrency=1,
        include="tests.faults.kill_points",
        env={"FAULT_PAUSE_AFTER_COMMIT": str(paused)},
    )
    kills = 0
    for _ in range(KILL_ITERATIONS):
        # (a) Before the commit: the publish blocks on a row lock we hold.
        ((page_id, revision_id),) = make_articles(section, 1)
        (paused / str(revision_id)).write_text("no pause for this one")
        schedule_at([(revision_id, timezone.now())])
        holder = _hold_row_lock(page_id)
        try:
            publish_revisions_task.apply_async(args=([revision_id],))
            assert wait_for(lambda: _waiting_on_lock()[0], timeout=20)
            for pid in pipeline.children("w1"):
                os.kill(pid, 9)
            kills += 1
        finally:
            holder.rollback()
            holder.close()
        assert all_live([page_id], timeout=30), pipeline.log("w1")[-3000:]
        assert_exactly_once([page_id])

        # (b) After the commit, before the acknowledgement.
        ((page_id, revision_id),) = make_articles(section, 1)
        schedule_at([(revision_id, timezone.now())])
        publish_revisions_task.apply_async(args=([revision_id],))
        marker = paused / str(revision_id)
        assert wait_for(marker.exists, timeout=30), pipeline.log("w1")[-3000:]
        assert published_at([page_id]), "the pause comes after the commit"
        os.kill(int(marker.read_text()), 9)
        kills += 1
        # The message comes back (reject on worker lost) and runs to nothing:
        # every message sent so far has finished once.
        assert wait_for(lambda n=kills: _succeeded(pipeline.log("w1")) >= n, 30), (
            pipeline.log("w1")[-3000:]
        )
        assert pipeline.log("w1").count(b"WorkerLostError") >= kills
        assert_exactly_once([page_id])
        assert Page.objects.get(id=page_id).live_revision_id == revision_id


def _hold_row_lock(page_id: int):
    """A second connection holding the page row's lock until rolled back."""
    holder = connections.create_connection("default")
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM wagtailcore_page WHERE id = %s FOR UPDATE", [page_id]
        )
    return holder


def _succeeded(log: bytes) -> int:
    return len(re.findall(rb"publish_revisions_task\[[^\]]+\] succeeded", log))


def _waiting_on_lock() -> tuple[bool, list]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wait_event_type, query FROM pg_stat_activity "
            "WHERE datname = current_database()"
        )
        rows = cursor.fetchall()
    return any(kind == "Lock" for kind, _ in rows), rows


def test_whole_worker_killed_then_replaced_publishes_once(pipeline, section):
    articles = make_articles(section, 5)
    pipeline.worker("w1", concurrency=2)
    pipeline.beat()
    at = soon(4)
    schedule_at([(rev, at) for _, rev in articles])
    # The sweep has handed the ETA'd reminders to w1 ...
    assert wait_for(lambda: reminders_received(pipeline.log("w1")) >= 1, 15)
    assert timezone.now() < at
    pipeline.kill("w1")  # SIGKILL to the whole worker, before T.
    pipeline.worker("w2", concurrency=2)
    page_ids = [p for p, _ in articles]
    assert all_live(page_ids, timeout=30), pipeline.log("w2")[-3000:]
    assert_exactly_once(page_ids)


def test_outage_across_t_is_caught_up_in_time_order(pipeline, section):
    articles = make_articles(section, 8)
    base = soon(1)
    planned = {
        page_id: base + timedelta(milliseconds=250 * n)
        for n, (page_id, _) in enumerate(reversed(articles))
    }
    schedule_at([(rev, planned[page]) for page, rev in articles])
    # Every worker and the beat are down across T, for a minute.
    time.sleep(61)
    assert published_at(planned) == {}
    pipeline.beat()
    pipeline.worker("w2", concurrency=1, queues="indexing,webhooks")
    # One publishing process, so that the order of publishing is observable.
    pipeline.worker("w1", concurrency=1, queues="publishing")
    back = timezone.now()
    assert all_live(list(planned), timeout=20), pipeline.log("w1")[-3000:]
    actual = published_at(planned)
    assert max(actual.values()) - back <= timedelta(seconds=5)
    by_plan = sorted(planned, key=planned.get)
    by_actual = sorted(actual, key=actual.get)
    assert by_actual == by_plan
    assert_exactly_once(list(planned))


def test_a_burst_due_at_one_second_is_published_once_each(pipeline, section):
    articles = make_articles(section, 120)
    at = soon(6)
    schedule_at([(rev, at) for _, rev in articles])
    pipeline.worker("w1", concurrency=2)
    pipeline.worker("w2", concurrency=2)
    pipeline.beat()
    page_ids = [p for p, _ in articles]
    assert all_live(page_ids, timeout=60), pipeline.log("w1")[-3000:]
    assert_exactly_once(page_ids)
    assert min(published_at(page_ids).values()) >= at
    # Sent in batches, not one message per article.
    logs = pipeline.log("w1") + pipeline.log("w2")
    assert logs.count(b"publish_revisions_task") < 2 * len(page_ids) / 10


def test_same_publish_delivered_100_times_to_2_workers(pipeline, section):
    ((page_id, revision_id),) = make_articles(section, 1)
    schedule_at([(revision_id, timezone.now())])
    # Half as the sweep sends it (a batch, publishing/bulk.py), half as the
    # one-by-one task (Wagtail's own publish): together, still one publish.
    for n in range(100):
        if n % 2:
            publish_revision_task.apply_async(args=(revision_id,))
        else:
            publish_revisions_task.apply_async(args=([revision_id],))
    pipeline.worker("w1", concurrency=2, wait=False)
    pipeline.worker("w2", concurrency=2)
    assert all_live([page_id], timeout=30)

    def ran() -> int:
        logs = pipeline.log("w1") + pipeline.log("w2")
        return logs.count(b"publish_revision_task") + logs.count(
            b"publish_revisions_task"
        )

    # Let every copy run (a received and a succeeded line per copy).
    wait_for(lambda: ran() >= 200, timeout=30)
    assert_exactly_once([page_id])


def test_two_beats_and_publish_scheduled_from_cron_publish_once(pipeline, section):
    articles = make_articles(section, 20)
    at = soon(5)
    schedule_at([(rev, at) for _, rev in articles])
    pipeline.worker("w1", concurrency=3)
    pipeline.beat("beat1")
    pipeline.beat("beat2")
    cron = threading.Thread(target=_run_publish_scheduled_around, args=(at, 3))
    cron.start()
    page_ids = [p for p, _ in articles]
    assert all_live(page_ids, timeout=30), pipeline.log("w1")[-3000:]
    cron.join(60)
    assert_exactly_once(page_ids)


# RELIABILITY R6's bar is two beats for 10 minutes: TWO_BEATS_SECONDS=600. The
# suite runs the same test over 20 s.
TWO_BEATS_SECONDS = float(os.environ.get("TWO_BEATS_SECONDS", "20"))


def test_two_beats_for_a_long_window_publish_each_schedule_once(pipeline, section):
    """Two beats (a botched deploy) over a window with a schedule due every 5 s:
    every article goes live once, on time, whichever beat's sweep finds it."""
    count = max(4, int(TWO_BEATS_SECONDS // 5))
    articles = make_articles(section, count)
    pipeline.worker("w1", concurrency=3)
    pipeline.beat("beat1")
    pipeline.beat("beat2")
    start = soon(3)
    step = TWO_BEATS_SECONDS / count
    due = {
        page: start + timedelta(seconds=i * step)
        for i, (page, _) in enumerate(articles)
    }
    schedule_at([(rev, due[page]) for page, rev in articles])
    page_ids = list(due)
    assert all_live(page_ids, timeout=TWO_BEATS_SECONDS + 40), pipeline.log("w1")[
        -3000:
    ]
    assert_exactly_once(page_ids)
    late = lateness(due, published_at(page_ids))
    assert 0 <= min(late) and max(late) <= 2.0, late


def _run_publish_scheduled_around(at, times):
    while timezone.now() < at:
        time.sleep(0.01)
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url()
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "publish_scheduled"], cwd=ROOT, env=env
        )
        for _ in range(times)
    ]
    for proc in procs:
        proc.wait(60)


def test_release_goes_live_whole_or_fails_whole(pipeline, section):
    from publishing import releases

    good = Release.objects.create(title="Good")
    bad = Release.objects.create(title="Bad")
    good_pages = [publish(ArticlePageFactory(parent=section)) for _ in range(3)]
    bad_pages = [publish(ArticlePageFactory(parent=section)) for _ in range(3)]
    for release, pages in ((good, good_pages), (bad, bad_pages)):
        for page in pages:
            ReleaseItem.objects.create(release=release, page=page)
            page.title = f"{page.title} v2"
            page.save_revision()
    at = soon(5)
    releases.schedule_release(good, at)
    releases.schedule_release(bad, at)
    deleted = bad_pages[2].id
    with transaction.atomic():
        bad_pages[2].delete()
    pipeline.worker("w1", concurrency=2)
    pipeline.beat()
    assert wait_for(
        lambda: (
            set(
                Release.objects.filter(id__in=[good.id, bad.id]).values_list(
                    "status", flat=True
                )
            )
            == {"published", "failed"}
        ),
        timeout=25,
    ), pipeline.log("w1")[-3000:]
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == "published"
    assert all(
        p.title.endswith(" v2")
        for p in ArticlePage.objects.filter(id__in=[p.id for p in good_pages])
    )
    assert bad.status == "failed"
    assert bad.failures == [
        {"article_id": deleted, "reason": "the article was deleted"}
    ]
    assert not any(
        p.title.endswith(" v2")
        for p in ArticlePage.objects.filter(id__in=[p.id for p in bad_pages])
    )
    assert Revision.objects.filter(approved_go_live_at__isnull=False).count() == 0
