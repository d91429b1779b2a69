from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "cms_search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.db.models import CharField

        from publishing import monitoring
        from search import signal_handlers
        from search.freshness import index_lag_seconds
        from search.status import search_status

        # title__trigram_word_similar (pg_trgm's %>) for suggest, without installing
        # django.contrib.postgres; the lookup is only used on PostgreSQL.
        CharField.register_lookup(TrigramWordSimilar)

        signal_handlers.connect()
        # The publishing status endpoint reports how far the index is behind.
        monitoring.PROBES["search_index_lag_s"] = index_lag_seconds
        # ... and whether public search runs on its engine or on the fallback.
        monitoring.PROBES["search"] = search_status
