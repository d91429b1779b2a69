from django.apps import AppConfig


class CommentsConfig(AppConfig):
    """Reader comments: the model, the API router, moderation in the admin."""

    name = "comments"
    label = "comments"
    verbose_name = "Reader comments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from comments.counts import approved_counts
        from delivery.serializers import register_summary_count

        # comment_count in every article summary (delivery sits below comments and
        # never imports it: this is the one hook it offers).
        register_summary_count("comment_count", approved_counts)
