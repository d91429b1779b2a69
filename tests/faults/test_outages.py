"""The production shape through a broker outage and a worker's death (issue 24).

The processes are compose's (tests/support/processes.py: the publishing worker, the
webhook worker, beat and gunicorn, with the production settings and every default
as shipped), on a private Redis without persistence that the test kills. Each test
ends with every article live once, never before its time, and:

* a broker outage of any length ends no process (RELIABILITY R25): the same PIDs
  are publishing afterwards;
* what fell due while the pipeline was away is live within two sweep intervals of
  its return (R2, R5); what falls due afterwards is on time.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import datetime, timedelta

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from tests.faults.helpers import (
    make_articles,
    publish_log_counts,
    published_at,
    published_event_counts,
    reminders_received,
    schedule_at,
    soon,
)
from tests.support.processes import wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWEEP = settings.CELERY_BEAT_SCHEDULE["sweep-schedules"]["schedule"]
# RELIABILITY R2: after an outage, everything overdue is live within two sweeps of
# the pipeline's return; on time, a publish is at most 2 s late. As the lateness
# test does, a shared, noisy CI box gets headroom unless CMS_STRICT_LATENCY=1 asks
# for the target itself; the defects these tests are for cost 30 s or forever.
STRICT = os.environ.get("CMS_STRICT_LATENCY") == "1"
CATCH_UP = 2 * SWEEP + (0 if STRICT else 3)
ON_TIME = 2.0 + (0 if STRICT else 2)
# R5 holds for any length of outage; the suite's is short, REDIS_DOWN_SECONDS=60
# runs the outside fault run's longest.
REDIS_DOWN_SECONDS = float(os.environ.get("REDIS_DOWN_SECONDS", "10"))


def start_production_shape(pipeline) -> dict[str, int]:
    """Compose's processes; their PIDs."""
    processes = [
        pipeline.worker("worker"),
        pipeline.webhook_worker("webhook-worker"),
        pipeline.beat("beat"),
        pipeline.web("web"),
    ]
    return {p.name: p.pid for p in processes}


def assert_same_processes(pipeline, pids: dict[str, int]) -> None:
    for name, pid in pids.items():
        process = pipeline.procs[name]
        assert process.alive() and process.pid == pid, (
            f"{name} ended:\n{process.log()[-3000:].decode(errors='replace')}"
        )
    log = pipeline.log("worker")
    assert b"Unrecoverable error" not in log


def reminders_held(pipeline) -> int:
    """Publish messages the current worker process has taken so far."""
    return reminders_received(pipeline.procs["worker"].log())


def wait_until_live(page_ids, timeout: float) -> datetime | None:
    """When a reader first saw every one of them live (polled every 50 ms)."""
    seen = wait_for(
        lambda: len(published_at(page_ids)) == len(page_ids), timeout, interval=0.05
    )
    return timezone.now() if seen else None


def assert_exactly_once(page_ids, planned: dict[int, datetime]) -> None:
    assert set(publish_log_counts(page_ids).values()) == {1}
    assert set(published_event_counts(page_ids).values()) == {1}
    for page_id, when in published_at(page_ids).items():
        assert when >= planned[page_id], (page_id, when, planned[page_id])


def schedule(articles, at: datetime) -> dict[int, datetime]:
    schedule_at([(rev, at) for _, rev in articles])
    return {page: at for page, _ in articles}


def test_broker_blips_leave_the_same_processes_publishing(
    own_pipeline, own_redis, section
):
    """Three 1 s blips, each while the worker holds reminders; Redis comes back
    with its data (as with persistence): the markers of the reminders the worker
    lost are still there, so only the new lease makes the sweep send them again."""
    pipeline = own_pipeline
    groups = [(make_articles(section, 10), make_articles(section, 10)) for _ in "abc"]
    pids = start_production_shape(pipeline)
    planned: dict[int, datetime] = {}
    for overdue, later in groups:
        # The outage starts at `down`: `overdue` falls due during it, `later`
        # three seconds after it. Both are in the worker's memory by then.
        down = soon(4)
        planned.update(schedule(overdue, down + timedelta(seconds=0.5)))
        planned.update(schedule(later, down + timedelta(seconds=4)))
        held = reminders_held(pipeline)
        assert wait_for(lambda h=held: reminders_held(pipeline) >= h + 2, 10)
        time.sleep(max(0.0, (down - timezone.now()).total_seconds()))
        own_redis.restart(down_for=1.0, keep_data=True)
        back = timezone.now()
        caught_up = wait_until_live([p for p, _ in overdue], timeout=30)
        assert caught_up is not None, pipeline.log("worker")[-3000:]
        late = (caught_up - back).total_seconds()
        print(f"\nblip: overdue live {late:.2f}s after Redis's return")
        assert late <= CATCH_UP, f"overdue live {late:.2f}s after Redis's return"
        assert wait_until_live([p for p, _ in later], timeout=30)
        for page_id, when in published_at([p for p, _ in later]).items():
            assert when - planned[page_id] <= timedelta(seconds=ON_TIME)
        assert_same_processes(pipeline, pids)
    page_ids = list(planned)
    assert_exactly_once(page_ids, planned)
    # The web process served throughout and serves what was published.
    response = requests.get(f"{pipeline.procs['web'].url}/api/v1/articles/", timeout=10)
    assert response.status_code == 200


def test_redis_restarted_empty_after_an_outage_catches_up(
    own_pipeline, own_redis, section
):
    """R5: Redis without persistence dies while 100 schedules are pending, some
    of them held by the worker as reminders, and comes back empty."""
    pipeline = own_pipeline
    during = make_articles(section, 50)
    after = make_articles(section, 50)
    pids = start_production_shape(pipeline)
    down = soon(4)
    planned = {
        **schedule(during, down + timedelta(seconds=1)),
        **schedule(after, down + timedelta(seconds=REDIS_DOWN_SECONDS + 4)),
    }
    assert wait_for(lambda: reminders_held(pipeline) >= 1, 10)
    time.sleep(max(0.0, (down - timezone.now()).total_seconds()))
    own_redis.restart(down_for=REDIS_DOWN_SECONDS)
    back = timezone.now()
    caught_up = wait_until_live([p for p, _ in during], timeout=30)
    assert caught_up is not None, pipeline.log("worker")[-3000:]
    late = (caught_up - back).total_seconds()
    print(f"\nRedis down {REDIS_DOWN_SECONDS:g}s: overdue live {late:.2f}s after")
    assert late <= CATCH_UP, f"overdue live {late:.2f}s after Redis's return"
    assert wait_until_live([p for p, _ in after], timeout=30)
    for page_id, when in published_at([p for p, _ in after]).items():
        assert when - planned[page_id] <= timedelta(seconds=ON_TIME)
    assert_same_processes(pipeline, pids)
    assert_exactly_once(list(planned), planned)


def test_worker_group_killed_one_second_before_t(pipeline, section):
    """The outside run's second finding: the worker holding the reminders of 100
    publishes due at T is SIGKILLed (with its pool) at T - 1 s and comes back as
    compose restarts it; all are live within two sweeps of its return, not when
    the visibility timeout or a resend delay expires."""
    articles = make_articles(section, 100)
    pipeline.worker("worker")
    pipeline.webhook_worker("webhook-worker")
    pipeline.beat("beat")
    at = soon(5)
    planned = schedule(articles, at)
    assert wait_for(lambda: reminders_held(pipeline) >= 2, 10)
    time.sleep(max(0.0, (at - timedelta(seconds=1) - timezone.now()).total_seconds()))
    pipeline.kill("worker", signal.SIGKILL)
    time.sleep(2)  # compose's restart, and the worker's start-up after it
    pipeline.worker("worker")
    back = timezone.now()
    page_ids = list(planned)
    caught_up = wait_until_live(page_ids, timeout=60)
    assert caught_up is not None, pipeline.log("worker")[-3000:]
    late = (caught_up - back).total_seconds()
    print(f"\nworker killed at T-1s: all live {late:.2f}s after its return")
    assert late <= CATCH_UP, f"live {late:.2f}s after the worker's return"
    assert_exactly_once(page_ids, planned)
