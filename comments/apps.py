from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Reader comments: the model, the API router, moderation in the admin."""

    name = "comments"
    label = "comments"
    verbose_name = "Reader comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from comments.counts import approved_counts
        from comments.reading import article_comments
        from delivery.reading import register_article_extra
        from delivery.serializers import register_summary_count

        # Delivery sits below comments and never imports it: these are the hooks
        # it offers. comment_count in every article summary; the comments and
        # their form below each article of the reading view.
        register_summary_count("comment_count", approved_counts)
        register_article_extra(article_comments)
