"""The comments API against PostgreSQL and the response cache (CONTRACT.md
section 6): every rule of the list and the submission."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cms.content.models import ArticlePage
from comments import moderation
from comments.models import Comment, CommentThread
from delivery import read_model
from publishing.models import Event
from tests.comments.conftest import comments_url, valid
from tests.delivery.hidden import HIDDEN_KINDS, make_hidden

EMAIL = "ada.secret@example.com"


def error(response) -> dict:
    return response.json()["error"]


# --- Submitting ---


def test_a_submission_is_accepted_as_pending(submit, article):
    response = submit(valid())

    assert response.status_code == 202
    comment = Comment.objects.get()
    assert response.json() == {"id": comment.pk, "status": "pending"}
    assert comment.status == "pending"
    assert comment.article_id == article.pk
    assert comment.author_name == "Ada"
    assert len(comment.address_hash) == 64
    assert "127.0.0.1" not in comment.address_hash


def test_nothing_is_visible_until_approved(submit, api, article):
    submit(valid())

    listed = api.get(comments_url(article)).json()
    detail = api.get(f"/api/v1/articles/{article.slug}/").json()

    assert listed["count"] == 0 and listed["results"] == []
    assert detail["comment_count"] == 0


def test_approval_shows_the_comment_and_its_count_at_once(
    submit, api, article, django_capture_on_commit_callbacks
):
    read_model.render_documents([article.pk])
    comment_id = submit(valid()).json()["id"]
    # Every response cached (and the detail served from its stored document).
    urls = [
        comments_url(article),
        f"/api/v1/articles/{article.slug}/",
        "/api/v1/articles/",
    ]
    for url in urls:
        api.get(url)
        assert "cache;desc=hit" in api.get(url)["Server-Timing"]

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate([comment_id], "approve")

    listed = api.get(comments_url(article)).json()
    assert [c["id"] for c in listed["results"]] == [comment_id]
    assert listed["count"] == 1
    assert api.get(urls[1]).json()["comment_count"] == 1
    assert api.get(urls[2]).json()["results"][0]["comment_count"] == 1
    # The stored document itself was rendered again, not merely bypassed.
    body, _ = read_model.detail_document(article.slug)
    assert json.loads(body)["comment_count"] == 1


def test_taking_an_approved_comment_down_hides_it_at_once(
    api, article, make_comment, django_capture_on_commit_callbacks
):
    comment = make_comment()
    assert api.get(comments_url(article)).json()["count"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate([comment.pk], "reject")

    assert api.get(comments_url(article)).json()["count"] == 0
    detail = api.get(f"/api/v1/articles/{article.slug}/").json()
    assert detail["comment_count"] == 0


def test_an_email_never_appears_in_any_response(submit, api, article, make_comment):
    make_comment(author_email=EMAIL)
    responses = [
        submit(valid(author_email=EMAIL)),
        api.get(comments_url(article)),
        api.get(f"/api/v1/articles/{article.slug}/"),
        api.get("/api/v1/articles/"),
        api.get("/api/v1/articles/?q=magnesium"),
        api.get("/api/v1/openapi.json"),
        api.get(article.url),
        api.get("/feeds/articles/"),
    ]
    for response in responses:
        assert response.status_code < 500
        assert EMAIL.encode() not in response.content
        assert b"ada.secret" not in response.content


def test_the_list_shape(api, article, make_comment):
    parent = make_comment(author_name="Ada")
    make_comment(author_name="Grace", parent=parent)

    data = api.get(comments_url(article)).json()

    assert set(data) == {"count", "next", "previous", "results", "comments_open"}
    assert data["comments_open"] is True
    first, reply = data["results"]
    assert set(first) == {"id", "parent_id", "author_name", "body", "created_at"}
    assert first["parent_id"] is None
    assert reply["parent_id"] == first["id"]
    assert first["created_at"].endswith("+00:00")


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg/onload=alert(1)>',
    "<b>bold</b> &amp; &lt;escaped&gt;",
    "javascript:alert(1)",
    "{{ 7*7 }} {% debug %} ${7*7}",
    "Robert'); DROP TABLE comments_comment;--",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_in_a_name_or_body_comes_back_as_the_same_text(
    submit, api, article, text, django_capture_on_commit_callbacks
):
    response = submit(valid(author_name=text[:80], body=text))
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate([response.json()["id"]], "approve")

    result = api.get(comments_url(article)).json()["results"][0]

    assert result["author_name"] == text[:80]
    assert result["body"] == text
    assert Comment.objects.count() == 1


def test_line_breaks_are_kept_and_normalised(submit, article, api):
    submit(valid(body="one\r\ntwo\n\nthree\tfour"))
    assert Comment.objects.get().body == "one\ntwo\n\nthree\tfour"


BAD = [
    ({"author_name": None}, "author_name"),
    ({"author_name": ""}, "author_name"),
    ({"author_name": "   "}, "author_name"),
    ({"author_name": "x" * 81}, "author_name"),
    ({"author_name": 42}, "author_name"),
    ({"author_name": ["Ada"]}, "author_name"),
    ({"author_name": "Ada\nLovelace"}, "author_name"),
    ({"author_name": "Ada\x00"}, "author_name"),
    ({"author_name": "\ud800"}, "author_name"),
    ({"author_email": None}, "author_email"),
    ({"author_email": "not-an-email"}, "author_email"),
    ({"author_email": "a@b"}, "author_email"),
    ({"author_email": "ada@example.com\x00"}, "author_email"),
    ({"author_email": "a" * 250 + "@example.com"}, "author_email"),
    ({"author_email": {"x": 1}}, "author_email"),
    ({"body": None}, "body"),
    ({"body": ""}, "body"),
    ({"body": " \n\t "}, "body"),
    ({"body": "x" * 5001}, "body"),
    ({"body": "nul \x00 byte"}, "body"),
    ({"body": "bell \x07"}, "body"),
    ({"body": "lone \udfff surrogate"}, "body"),
    ({"body": 3.14}, "body"),
    ({"parent_id": "1"}, "parent_id"),
    ({"parent_id": True}, "parent_id"),
    ({"parent_id": -1}, "parent_id"),
    ({"parent_id": 0}, "parent_id"),
    ({"parent_id": 1.5}, "parent_id"),
    ({"parent_id": 10**30}, "parent_id"),
    ({"parent_id": 999999}, "parent_id"),
    ({"extra": "field"}, "extra"),
]


@pytest.mark.parametrize("change,field", BAD)
def test_bad_input_is_a_400_naming_the_field(submit, change, field):
    payload = valid()
    for name, value in change.items():
        if value is None:
            payload.pop(name)
        else:
            payload[name] = value

    response = submit(payload)

    assert response.status_code == 400, response.content
    assert error(response)["field"] == field
    assert error(response)["code"] in {"invalid_parameter", "unknown_field"}
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[]", b'"text"', b"null", b"{", b"\xff\xfe", b"[" * 5000],
)
def test_a_body_that_is_not_a_json_object_is_a_400(submit, raw):
    response = submit(raw=raw)

    assert response.status_code == 400
    assert error(response)["field"] is None
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", ""]
)
def test_a_body_that_is_not_json_typed_is_a_415(api, article, content_type):
    response = api.post(
        comments_url(article), data=json.dumps(valid()), content_type=content_type
    )
    assert response.status_code == 415
    assert error(response)["code"] == "unsupported_media_type"
    assert Comment.objects.count() == 0


def test_the_longest_allowed_fields_are_accepted(submit):
    response = submit(valid(author_name="n" * 80, body="b" * 5000))

    assert response.status_code == 202
    assert len(Comment.objects.get().body) == 5000


def test_a_body_over_the_limit_is_refused_before_it_is_parsed(submit, settings):
    settings.COMMENT_MAX_REQUEST_BYTES = 1000
    # Not JSON at all: a 413, not a 400, shows it was never parsed.
    response = submit(raw=b"x" * 1001)

    assert response.status_code == 413
    assert error(response)["code"] == "payload_too_large"


def test_a_declared_length_over_the_limit_is_refused_unread(api, article, settings):
    settings.COMMENT_MAX_REQUEST_BYTES = 1000
    response = api.post(
        comments_url(article),
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH="10000000",
    )
    assert response.status_code == 413


def test_a_reply_to_an_approved_comment_of_the_same_article(submit, make_comment):
    parent = make_comment()

    response = submit(valid(parent_id=parent.pk))

    assert response.status_code == 202
    reply = Comment.objects.get(pk=response.json()["id"])
    assert reply.parent_id == parent.pk and reply.depth == 2


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_a_reply_to_a_comment_that_is_not_approved_is_a_400(
    submit, make_comment, status
):
    parent = make_comment(status=status)
    response = submit(valid(parent_id=parent.pk))
    assert response.status_code == 400
    assert error(response)["field"] == "parent_id"


def test_a_reply_to_another_articles_comment_is_a_400(submit, make_comment, section):
    from tests.factories import ArticlePageFactory, publish

    other = publish(ArticlePageFactory(parent=section, title="Other"))
    parent = make_comment(target=other)
    response = submit(valid(parent_id=parent.pk))
    assert response.status_code == 400
    assert error(response)["field"] == "parent_id"


def test_replies_nest_at_most_three_deep(submit, make_comment):
    first = make_comment()
    second = make_comment(parent=first)
    third = make_comment(parent=second)

    assert submit(valid(parent_id=second.pk)).status_code == 202
    too_deep = submit(valid(parent_id=third.pk))

    assert too_deep.status_code == 400
    assert error(too_deep)["field"] == "parent_id"


def test_the_honeypot_gets_the_same_answer_and_keeps_the_comment_as_spam(
    submit, api, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(valid(website="http://cheap-pills.example"))

    assert response.status_code == 202
    comment = Comment.objects.get()
    assert response.json() == {"id": comment.pk, "status": "pending"}
    assert comment.status == "spam"
    assert not Event.objects.filter(type="comment.created").exists()
    assert api.get(comments_url(article)).json()["count"] == 0


def test_an_empty_honeypot_is_a_normal_submission(submit):
    submit(valid(website=""))
    assert Comment.objects.get().status == "pending"


# --- Closed and hidden articles ---


def test_closed_comments_are_a_403(submit, api, article):
    CommentThread.objects.create(article=article, closed=True)

    response = submit(valid())

    assert response.status_code == 403
    assert error(response) == {
        "code": "comments_closed",
        "message": "Comments on this article are closed.",
        "field": None,
    }
    assert api.get(comments_url(article)).json()["comments_open"] is False
    assert Comment.objects.count() == 0


def test_comments_close_after_the_configured_days(submit, article, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    assert submit(valid()).status_code == 202
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=31)
    )

    response = submit(valid())

    assert response.status_code == 403
    assert error(response)["code"] == "comments_closed"


def test_reopening_takes_effect_at_once(
    submit, api, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.set_comments_open(article.pk, False)
    assert api.get(comments_url(article)).json()["comments_open"] is False
    with django_capture_on_commit_callbacks(execute=True):
        moderation.set_comments_open(article.pk, True)

    assert api.get(comments_url(article)).json()["comments_open"] is True
    assert submit(valid()).status_code == 202


@pytest.mark.parametrize("kind", [k for k in HIDDEN_KINDS if k != "newer_revision"])
def test_an_article_that_is_not_public_is_a_404(api, section, kind):
    hidden = make_hidden(kind, section, "hidden")
    Comment.objects.create(article=hidden, status="approved", **valid())
    url = f"/api/v1/articles/{hidden.slug}/comments/"

    listed = api.get(url)
    posted = api.post(url, data=valid(), content_type="application/json")

    for response in (listed, posted):
        assert response.status_code == 404
        assert error(response) == {
            "code": "not_found",
            "message": "No such article.",
            "field": None,
        }
    missing = api.get("/api/v1/articles/never-was/comments/")
    assert missing.content == listed.content
    assert Comment.objects.count() == 1


# --- The per-address limit (real Redis) ---


def test_submissions_are_limited_per_address(article, settings):
    settings.COMMENT_RATE_LIMIT = "5/m"
    flood = Client(REMOTE_ADDR="10.0.0.1")
    url = comments_url(article)
    post = lambda client: client.post(  # noqa: E731
        url, data=valid(), content_type="application/json"
    )

    answers = [post(flood).status_code for _ in range(6)]

    assert answers == [202] * 5 + [429]
    refused = post(flood)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert error(refused)["code"] == "rate_limited"
    assert post(Client(REMOTE_ADDR="10.0.0.2")).status_code == 202
    # Reading is not submitting.
    assert flood.get(url).status_code == 200
    assert Comment.objects.count() == 6


def test_the_limit_counts_the_address_behind_trusted_proxies(article, settings):
    settings.COMMENT_RATE_LIMIT = "1/m"
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.9.9.9")
    url = comments_url(article)

    def post(forwarded: str):
        return proxy.post(
            url,
            data=valid(),
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert post("203.0.113.1").status_code == 202
    assert post("203.0.113.1").status_code == 429
    assert post("203.0.113.2").status_code == 202


# --- The list: paging, parameters, cache ---


def test_the_list_pages_by_cursor_oldest_first(api, article, make_comment):
    base = timezone.now() - timedelta(hours=1)
    ids = [
        make_comment(body=f"c{i}", created_at=base + timedelta(seconds=i // 2)).pk
        for i in range(25)
    ]
    make_comment(status="pending")

    seen, url, pages = [], comments_url(article) + "?limit=10", 0
    while url:
        data = api.get(url).json()
        assert data["count"] == 25
        seen += [c["id"] for c in data["results"]]
        url, pages = data["next"], pages + 1

    assert seen == ids
    assert pages == 3
    back = api.get(data["previous"]).json()
    assert [c["id"] for c in back["results"]] == ids[10:20]


def test_a_comment_approved_while_paging_never_repeats_or_vanishes(
    api, article, make_comment
):
    base = timezone.now() - timedelta(hours=1)
    ids = [make_comment(created_at=base + timedelta(minutes=i)).pk for i in range(4)]
    first = api.get(comments_url(article) + "?limit=2").json()
    ids.append(make_comment().pk)  # approved meanwhile: newest, so last

    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()

    seen = [c["id"] for p in (first, second, third) for c in p["results"]]
    assert seen == ids


@pytest.mark.parametrize(
    "query,field",
    [
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?limit=ten", "limit"),
        ("?limit=1&limit=2", "limit"),
        ("?cursor=garbage", "cursor"),
        ("?cursor=a%00b", "cursor"),
        ("?sort=new", "sort"),
    ],
)
def test_bad_list_parameters_are_400s(api, article, query, field):
    response = api.get(comments_url(article) + query)
    assert response.status_code == 400
    assert error(response)["field"] == field


def test_a_cursor_of_another_article_is_a_400(api, article, make_comment, section):
    from tests.factories import ArticlePageFactory, publish

    for _ in range(3):
        make_comment()
    other = publish(ArticlePageFactory(parent=section, title="Other"))
    cursor = api.get(comments_url(article) + "?limit=1").json()["next"]
    token = cursor.split("cursor=")[1]

    response = api.get(comments_url(other) + f"?cursor={token}")

    assert response.status_code == 400
    assert error(response)["field"] == "cursor"


def test_a_submission_with_query_parameters_is_a_400(api, article):
    response = api.post(
        comments_url(article) + "?x=1", data=valid(), content_type="application/json"
    )
    assert response.status_code == 400
    assert error(response)["field"] == "x"


def test_the_list_is_cached_with_an_etag(api, article, make_comment):
    make_comment()
    url = comments_url(article)

    first = api.get(url)
    second = api.get(url)
    not_modified = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert "cache;desc=miss" in first["Server-Timing"]
    assert "cache;desc=hit" in second["Server-Timing"]
    assert first["Cache-Control"].startswith("public, max-age=")
    assert not_modified.status_code == 304


def test_the_list_query_count_does_not_grow_with_the_page(
    api, article, make_comment, django_assert_max_num_queries
):
    parent = make_comment()
    for _ in range(60):
        make_comment(parent=parent)
    # The article, the page (with each parent's status), the total, the state.
    with django_assert_max_num_queries(6):
        assert len(api.get(comments_url(article) + "?limit=50").json()["results"]) == 50


def test_a_submission_costs_a_fixed_number_of_queries(
    submit, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert submit(valid()).status_code == 202


# --- Auto-approval of known authors ---


def test_known_authors_wait_for_moderation_by_default(submit, make_comment):
    make_comment(author_email="known@example.com")

    submit(valid(author_email="known@example.com"))

    assert Comment.objects.order_by("-pk").first().status == "pending"


def test_known_authors_are_approved_at_once_where_the_setting_allows(
    submit, api, article, make_comment, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_AUTO_APPROVE_KNOWN_AUTHORS = True
    make_comment(author_email="known@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        known = submit(valid(author_email="KNOWN@example.com"))
        stranger = submit(valid(author_email="new@example.com"))

    # The answer never tells whether an address is known.
    assert known.json()["status"] == stranger.json()["status"] == "pending"
    assert Comment.objects.get(pk=known.json()["id"]).status == "approved"
    assert Comment.objects.get(pk=stranger.json()["id"]).status == "pending"
    assert api.get(comments_url(article)).json()["count"] == 2
    assert Event.objects.filter(type="comment.approved").count() == 1


# --- Events in the outbox ---


def test_events_carry_ids_and_public_fields_only(
    submit, article, django_capture_on_commit_callbacks
):
    comment_id = submit(valid(author_email=EMAIL, body="Pending words")).json()["id"]
    created = Event.objects.get(type="comment.created")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate([comment_id], "approve")
    approved = Event.objects.get(type="comment.approved")

    assert created.data["id"] == comment_id
    assert created.data["article"] == {
        "id": article.pk,
        "slug": article.slug,
        "url": article.url,
    }
    assert "Pending words" not in json.dumps(created.data)
    assert approved.data["body"] == "Pending words"
    for event in (created, approved):
        assert EMAIL not in json.dumps(event.data)
        assert "address" not in json.dumps(event.data)


def test_approving_twice_records_one_event(make_comment):
    comment = make_comment(status="pending")
    assert moderation.moderate([comment.pk], "approve") == 1
    assert moderation.moderate([comment.pk], "approve") == 0
    assert Event.objects.filter(type="comment.approved").count() == 1
