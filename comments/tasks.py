"""The beat's door onto comments.privacy (CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from cms.celery_app import app
from comments import privacy


@app.task(name="comments.tasks.purge_spam_task", ignore_result=True)
def purge_spam_task() -> int:
    return privacy.purge_spam()
