"""Fault injection for worker processes started by the fault tests.

Loaded only into test workers (``celery worker --include tests.faults.kill_points``)
and only active with ``FAULT_PAUSE_AFTER_COMMIT`` set to a directory: after a
publish task has returned (its transaction committed) and before the worker
acknowledges it (``acks_late``: the main process acks when the child reports the
result), the child writes its pid to ``<dir>/<first revision id>`` and sleeps, so
that the test can SIGKILL it in exactly that window. Each revision pauses once: the
redelivered copy runs straight through.
"""

import os
import time
from pathlib import Path

from celery.signals import task_postrun

PAUSE_DIR = os.environ.get("FAULT_PAUSE_AFTER_COMMIT")
PUBLISH_TASKS = {
    "publishing.tasks.publish_revisions_task",
    "publishing.tasks.publish_revision_task",
}


@task_postrun.connect
def pause_after_commit(sender=None, args=None, **kwargs):
    if not PAUSE_DIR or getattr(sender, "name", None) not in PUBLISH_TASKS:
        return
    first = args[0][0] if isinstance(args[0], list) else args[0]
    marker = Path(PAUSE_DIR) / str(first)
    if marker.exists():
        return
    marker.write_text(str(os.getpid()))
    time.sleep(60)
