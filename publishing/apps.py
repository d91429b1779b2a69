from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from cms.content.models.pages import ArticlePageForm
        from publishing import planning, signal_handlers
        from publishing.views import tokens

        signal_handlers.connect()
        if planning.go_live_held_by_release not in ArticlePageForm.go_live_checks:
            ArticlePageForm.go_live_checks.append(planning.go_live_held_by_release)
        # The admin's API tokens get scopes and an expiry (publishing/tokens.py).
        tokens.install()
