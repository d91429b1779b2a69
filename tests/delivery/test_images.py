"""Every image object carries ``srcset`` (renditions at 320/640/960/1280/1920 px
wide, not beyond the original, smallest first) and ``focal_point``; the stored
documents carry them, made on the workers (CONTRACT section 1)."""

from __future__ import annotations

import pytest
import wagtail_factories
from wagtail.images import get_image_model

from cms.content.models import ArticleDocument


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def hero_of(api, article) -> dict:
    return api.get(f"/api/v1/articles/{article.slug}/").json()["hero_image"]


def test_srcset_lists_the_widths_up_to_the_original_smallest_first(api, make_article):
    image = wagtail_factories.ImageFactory(file__width=1000, file__height=800)
    article = make_article(hero_image=image)
    hero = hero_of(api, article)
    assert [r["width"] for r in hero["srcset"]] == [320, 640, 960]
    # The hero is a 1200x630 crop: each srcset entry keeps that aspect ratio.
    assert [r["height"] for r in hero["srcset"]] == [168, 336, 504]
    assert all(r["url"].startswith("http://") for r in hero["srcset"])
    assert len({r["url"] for r in hero["srcset"]}) == 3


def test_a_body_image_srcset_keeps_the_original_aspect(api, make_article):
    image = wagtail_factories.ImageFactory(file__width=2400, file__height=1200)
    article = make_article(body=[("image", {"image": image, "alt": "", "caption": ""})])
    body = api.get(f"/api/v1/articles/{article.slug}/").json()["body"]
    srcset = body[0]["value"]["image"]["srcset"]
    assert [(r["width"], r["height"]) for r in srcset] == [
        (320, 160),
        (640, 320),
        (960, 480),
        (1280, 640),
        (1920, 960),
    ]


def test_an_image_smaller_than_every_width_has_an_empty_srcset(api, make_article):
    image = wagtail_factories.ImageFactory(file__width=200, file__height=100)
    assert hero_of(api, make_article(hero_image=image))["srcset"] == []


def test_focal_point_is_null_until_set_then_fractions(api, make_article, committed):
    image = wagtail_factories.ImageFactory(file__width=1000, file__height=500)
    article = make_article(hero_image=image)
    assert hero_of(api, article)["focal_point"] is None
    with committed():
        image.focal_point_x, image.focal_point_y = 250, 400
        image.focal_point_width = image.focal_point_height = 10
        image.save()
    assert hero_of(api, article)["focal_point"] == {"x": 0.25, "y": 0.8}


def test_stored_documents_carry_srcset_and_renditions_exist_before_reads(
    make_article, committed
):
    image = wagtail_factories.ImageFactory(file__width=700, file__height=700)
    with committed():
        article = make_article(hero_image=image)
    document = ArticleDocument.objects.get(page=article)
    assert '"srcset": [{"url"' in document.summary
    renditions = get_image_model().get_rendition_model().objects.filter(image=image)
    specs = set(renditions.values_list("filter_spec", flat=True))
    assert {"fill-1200x630", "fill-320x168", "fill-640x336"} <= specs


def test_author_avatar_carries_srcset(api, make_article):
    image = wagtail_factories.ImageFactory(file__width=400, file__height=400)
    article = make_article()
    article.author.avatar = image
    article.author.save()
    avatar = api.get(f"/api/v1/authors/{article.author.slug}/").json()["avatar"]
    assert [r["width"] for r in avatar["srcset"]] == [320]
    assert avatar["focal_point"] is None
