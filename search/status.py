"""What the publishing status endpoint says of search (a probe registered in
``SearchConfig.ready()``): the engine in use, and whether public search is running
on the database fallback."""

from __future__ import annotations

from dataclasses import dataclass

from search.availability import PROBE_TIMEOUT_S, engine_usable, mark_up
from search.opensearch_backend import engine_backend, probe


@dataclass(frozen=True)
class SearchStatus:
    backend: str  # "database" or "opensearch"
    status: str  # "ok" or "degraded"
    detail: str | None = None

    def as_dict(self) -> dict:
        return {"backend": self.backend, "status": self.status, "detail": self.detail}


def search_status() -> dict:
    """``{"backend", "status", "detail"}``: ``degraded`` while public search runs
    on the database fallback because OpenSearch does not answer or has no index."""
    backend = engine_backend()
    if backend is None:
        return SearchStatus("database", "ok").as_dict()
    problem = probe(backend, timeout=PROBE_TIMEOUT_S)
    if problem is None:
        if not engine_usable():
            mark_up()
        return SearchStatus("opensearch", "ok").as_dict()
    return SearchStatus(
        "opensearch",
        "degraded",
        f"{problem}; public search answers from the database meanwhile",
    ).as_dict()
