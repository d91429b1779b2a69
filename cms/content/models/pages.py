"""Sections and the articles in them."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import COMMENTS_RELATION_NAME, Orderable, Page
from wagtail.search import index

from cms.content.blocks import ArticleBodyBlock
from cms.content.preview import HeadlessPreviewMixin

MAX_RELATED = 5
# The Promote tab without "Show in menus": no API and no template reads it.
SEARCH_ENGINE_PANELS = [
    MultiFieldPanel(
        [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description")],
        heading="For search engines",
    )
]
# A typical adult silent-reading pace for non-fiction on screen.
WORDS_PER_MINUTE = 200


class ArticleIndexPage(Page):
    """A section such as "News and Blogs"; its children are articles."""

    intro = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = SEARCH_ENGINE_PANELS
    subpage_types = ["content.ArticlePage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "section"


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class RelatedArticle(Orderable):
    """One of an article's hand-picked related posts, in the editor's order."""

    page = ParentalKey(
        "content.ArticlePage", related_name="related_links", on_delete=models.CASCADE
    )
    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = "related article"


def validate_related_articles(page_id: int | None, related_ids: list[int]) -> dict:
    """Errors for an ordered list of related article ids, keyed by position.

    Key ``None`` holds errors about the list as a whole.
    """
    errors: dict[int | None, str] = {}
    if len(related_ids) > MAX_RELATED:
        errors[None] = (
            f"An article can have at most {MAX_RELATED} related posts; "
            f"remove {len(related_ids) - MAX_RELATED}."
        )
    seen: set[int] = set()
    for position, related_id in enumerate(related_ids):
        if page_id is not None and related_id == page_id:
            errors[position] = "An article cannot be related to itself."
        elif related_id in seen:
            errors[position] = "This article is already in the related posts."
        seen.add(related_id)
    return errors


class ArticlePageForm(WagtailAdminPageForm):
    # Rules on a go-live time set in the admin, from the apps that own schedules
    # (publishing adds its release rule in its AppConfig.ready(): the go-live field
    # is a door to the same schedule as its API). Each takes the page id and the
    # time, and returns an error message or None.
    go_live_checks: list[Callable[[int, datetime], str | None]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin reads these times in the editor's zone (their Wagtail
        # preference, else the site's): say which, and that seconds count.
        zone = timezone.get_current_timezone_name()
        for name in ("go_live_at", "expire_at"):
            if name in self.fields:
                self.fields[name].help_text = (
                    f"In {zone} (your time zone: Account → Preferences). To the "
                    "second if you like: 2026-12-06 09:00:30."
                )

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("related_links")
        if formset is None:
            return cleaned_data
        live_forms = [
            form
            for form in formset.forms
            if form.is_valid()
            and form.cleaned_data.get("article")
            and not form.cleaned_data.get("DELETE")
        ]
        ids = [form.cleaned_data["article"].pk for form in live_forms]
        errors = validate_related_articles(self.instance.pk, ids)
        for position, message in errors.items():
            if position is None:
                self.add_error(None, message)
            else:
                live_forms[position].add_error("article", message)
        if errors:
            self.add_error(
                None, "The related posts need attention: see the messages below."
            )
        self.check_go_live(cleaned_data)
        return cleaned_data

    def check_go_live(self, cleaned_data: dict) -> None:
        """A future go-live time being set (published, or submitted to moderation,
        which schedules when the workflow's last step approves) passes each of
        :attr:`go_live_checks`."""
        go_live_at = cleaned_data.get("go_live_at")
        acting = self.data.get("action-publish") or self.data.get("action-submit")
        if not (self.instance.pk and go_live_at and acting):
            return
        if go_live_at <= timezone.now():
            return
        for check in self.go_live_checks:
            message = check(self.instance.pk, go_live_at)
            if message:
                self.add_error("go_live_at", message)


def duplicate_slug_message(slug: str, page_id: int | None) -> str | None:
    """An article's slug is unique across the site (CONTRACT section 1: the
    delivery API names an article by its slug alone): the error for a taken one."""
    if not slug:
        return None
    taken = ArticlePage.objects.filter(slug=slug).exclude(pk=page_id).first()
    if taken is None:
        return None
    return (
        f"The slug '{slug}' is already used by the article '{taken.title}' "
        f"({taken.url_path}); article slugs are unique across the site."
    )


class ArticlePage(HeadlessPreviewMixin, Page):
    intro = models.CharField(
        max_length=300, help_text="One or two sentences shown in lists and feeds."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=255,
        blank=True,
        help_text="Describe the image; leave empty to use the image's title.",
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    author = models.ForeignKey(
        "content.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    categories = ParentalManyToManyField(
        "content.Category", blank=True, related_name="articles"
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    display_date = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="The date shown to readers; defaults to the first publication.",
    )
    reading_time_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    base_form_class = ArticlePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro", widget=forms.Textarea(attrs={"rows": 3})),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")],
            heading="Hero image",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("display_date"),
                FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading="Byline and classification",
        ),
        InlinePanel(
            "related_links",
            label="Related posts",
            max_num=MAX_RELATED,
            help_text=f"Up to {MAX_RELATED} articles, in the order readers see them.",
        ),
    ]
    promote_panels = SEARCH_ENGINE_PANELS
    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types: list[str] = []

    # Search (search/): title in its own, highest-weighted vector; intro next; the
    # text of every body block; byline and classification names last. The search
    # app is the index's one writer for articles (it also hears renames of what
    # they show, and the batch writer's publishes, which save no row), so Wagtail's
    # own per-save update stays off.
    search_auto_update = False
    search_fields = [
        *Page.search_fields,
        index.SearchField("title", boost=10),
        index.AutocompleteField("title"),
        index.SearchField("intro", boost=3),
        index.SearchField("body"),
        index.RelatedFields("author", [index.SearchField("name")]),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("first_published_at"),
    ]

    class Meta:
        verbose_name = "article"

    def body_text(self) -> str:
        """The plain text of every body block, for reading time and search."""
        parts: list[str] = []
        for block in self.body:
            value = block.value
            if block.block_type == "paragraph":
                parts.append(strip_tags(value.source))
            elif block.block_type == "heading":
                parts.append(value["text"])
            elif block.block_type == "quote":
                parts.extend([value["text"], value.get("attribution") or ""])
            elif block.block_type == "list":
                parts.extend(value["items"])
            elif block.block_type == "image":
                parts.append(value.get("caption") or "")
        return " ".join(p for p in parts if p)

    def compute_reading_time(self) -> int:
        words = len(f"{self.intro} {self.body_text()}".split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def clean(self):
        super().clean()
        if message := duplicate_slug_message(self.slug, self.pk):
            raise ValidationError({"slug": message})
        if self.pk:
            ids = [link.article_id for link in self.related_links.all()]
            errors = validate_related_articles(self.pk, ids)
            if errors:
                raise ValidationError(list(errors.values()))

    # True while the admin's "Publish" (cms/content/edit_view.py) publishes this
    # instance: the revision it has just saved from it is published from it.
    publish_from_memory = False

    def with_content_json(self, content):
        saved = self._state.fields_cache.get("latest_revision")
        if self.publish_from_memory and saved is not None and content is saved.content:
            return self._as_saved_revision(content)
        return super().with_content_json(content)

    def _as_saved_revision(self, content: dict) -> ArticlePage:
        """This page as ``with_content_json`` rebuilds it from the revision that
        ``save_revision`` has just written from it, without the rebuild.

        Every field of that revision was taken from this instance, which
        ``save_revision`` validated (``full_clean``, foreign keys included) a moment
        ago in the same transaction; Wagtail's rebuild would read the same values
        back, look each foreign key up again and validate them all again when the
        publish saves. What the rebuild changes is done here the same way: the URL
        path from the parent, datetimes read back in the default time zone, and the
        page's unresolved comments with their positions in the revision.
        """
        self.set_url_path(self.get_parent())
        default_zone = timezone.get_default_timezone()
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.DateTimeField) or field.attname in (
                "latest_revision_created_at",  # kept from the page, not the revision
                "locked_at",
            ):
                continue
            value = getattr(self, field.attname)
            if value is not None:
                setattr(self, field.attname, timezone.localtime(value, default_zone))
        positions = {
            comment["pk"]: comment["position"]
            for comment in content.get(COMMENTS_RELATION_NAME, [])
        }
        comments = (
            getattr(self, COMMENTS_RELATION_NAME)
            .filter(resolved_at__isnull=True)
            .defer("position")
        )
        for comment in comments:
            if comment.id in positions:
                comment.position = positions[comment.id]
        setattr(self, COMMENTS_RELATION_NAME, comments)
        self._validated_for_publish = True
        return self

    def save(self, *args, **kwargs):
        if self.__dict__.pop("_validated_for_publish", False):
            kwargs["clean"] = False  # validated by save_revision (see above)
        self.reading_time_minutes = self.compute_reading_time()
        return super().save(*args, **kwargs)
