from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from cms.content.models.pages import ArticlePageForm
        from publishing import planning, signal_handlers

        signal_handlers.connect()
        if planning.go_live_held_by_release not in ArticlePageForm.go_live_checks:
            ArticlePageForm.go_live_checks.append(planning.go_live_held_by_release)
