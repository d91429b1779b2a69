"""JSON, not pickle, for Django's Redis cache (``CACHES["default"]``).

Django's RedisCache pickles every value but integers, and unpickles whatever it
reads: anyone who can write to Redis (a shared instance, a leaked password, an
exposed port) could then run code in every web process and worker. JSON reads back
only data. Integers stay bare, as Django stores them, so that ``incr`` and the fast
path's raw reads of counters keep working.

Wagtail caches rendition objects, which JSON cannot hold: they go to a per-process
``renditions`` cache instead (cms/settings/base.py).
"""

from __future__ import annotations

import json


class JSONSerializer:
    def dumps(self, obj) -> bytes | int:
        if type(obj) is int:
            return obj
        return json.dumps(obj, separators=(",", ":")).encode()

    def loads(self, data: bytes):
        try:
            return int(data)
        except ValueError:
            return json.loads(data)
