"""The leases that tell the sweep which workers hold its reminders."""

import time

import pytest
from kombu import Queue

from publishing import reminders

pytestmark = pytest.mark.django_db


def test_a_lease_is_live_until_released():
    reminders.renew("w1@host:1:a")
    reminders.renew("w2@host:2:b")
    assert reminders.live_leases() == ["w1@host:1:a", "w2@host:2:b"]
    reminders.release("w1@host:1:a")
    assert reminders.live_leases() == ["w2@host:2:b"]


def test_a_lease_not_renewed_is_gone_after_its_ttl(monkeypatch):
    monkeypatch.setattr(reminders, "LEASE_TTL", 1)
    reminders.renew("w1@host:1:a")
    time.sleep(1.2)
    assert reminders.live_leases() == []


def test_holders_names_the_set_of_live_leases():
    nobody = reminders.holders()
    reminders.renew("w1@host:1:a")
    one = reminders.holders()
    assert one != nobody
    assert reminders.holders() == one
    reminders.renew("w2@host:2:b")
    assert reminders.holders() not in (nobody, one)
    reminders.release("w2@host:2:b")
    assert reminders.holders() == one


def test_unreadable_leases_leave_the_markers_as_they_were(monkeypatch):
    def no_redis():
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(reminders, "_redis", no_redis)
    assert reminders.holders() == reminders.UNKNOWN


class FakeTimer:
    def __init__(self):
        self.entries = []

    def call_repeatedly(self, seconds, fun):
        self.entries.append(fun)
        return fun

    def cancel(self, entry):
        self.entries.remove(entry)


class FakeConsumer:
    hostname = "w1@host"

    def __init__(self, queues):
        self.timer = FakeTimer()
        self.task_consumer = type("TaskConsumer", (), {"queues": queues})()


def test_a_publishing_consumer_holds_a_lease_while_connected():
    consumer = FakeConsumer([Queue("publishing"), Queue("indexing")])
    step = reminders.ReminderLease(consumer)
    step.start(consumer)
    (lease,) = reminders.live_leases()
    assert lease.startswith("w1@host:")
    assert len(consumer.timer.entries) == 1
    step.stop(consumer)
    assert reminders.live_leases() == []
    assert consumer.timer.entries == []
    # A reconnection takes a new lease: the sweep must see the change.
    step.start(consumer)
    assert reminders.live_leases() != [lease]


def test_other_consumers_hold_no_lease():
    consumer = FakeConsumer([Queue("webhooks")])
    step = reminders.ReminderLease(consumer)
    step.start(consumer)
    assert reminders.live_leases() == []
    step.stop(consumer)


def test_a_worker_restarted_under_its_name_replaces_its_old_lease():
    reminders.renew("w1@host:1:a")
    reminders.renew("w2@host:2:b")
    reminders.grant("w1@host", "w1@host:3:c")
    assert reminders.live_leases() == ["w1@host:3:c", "w2@host:2:b"]


def test_a_change_of_holders_is_logged(caplog):
    reminders.holders()
    reminders.renew("w1@host:1:a")
    with caplog.at_level("INFO", logger="publishing.reminders"):
        reminders.holders()
        reminders.holders()
    assert [r.getMessage() for r in caplog.records] == [
        "reminder holders are now w1@host:1:a: everything pending is sent again"
    ]
