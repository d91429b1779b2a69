"""The ``api_fields`` a stock project would declare for API v2, for the same fields as
our summary and detail.

They are attached here rather than on the models so that the product's model stays
exactly as shipped; at run time this is the same as declaring them in the class body.
"""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField

from cms.content.models import ArticlePage, Author, Category, RelatedArticle

# The summary's fields beyond v2's own meta (id, type, slug, html_url,
# first_published_at) and title.
SUMMARY_FIELDS = [
    "intro",
    "author",
    "categories",
    "tags",
    "hero_image",
    "reading_time_minutes",
    "last_published_at",
]
DETAIL_FIELDS = [*SUMMARY_FIELDS, "body", "related_links", "seo_title"]


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["slug", "name"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]


def declare_api_fields() -> None:
    ArticlePage.api_fields = [
        APIField("intro"),
        APIField("author", serializer=AuthorSerializer()),
        APIField("categories", serializer=CategorySerializer(many=True)),
        APIField("tags"),
        APIField("hero_image", serializer=ImageRenditionField("fill-1200x630")),
        APIField("reading_time_minutes"),
        APIField("last_published_at"),
        APIField("body"),
        APIField("related_links"),
        APIField("seo_title"),
    ]
    RelatedArticle.api_fields = [APIField("article")]
