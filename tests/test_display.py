"""b2bbank.display: the one money format and the one link rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from b2bbank.display import LINK_REL, format_money, linkify


def test_linkify_links_http_and_https_with_safe_rel() -> None:
    html = linkify("See https://example.com/a?b=1&c=2. Or http://x.org")
    assert f'<a href="https://example.com/a?b=1&amp;c=2" rel="{LINK_REL}">' in html
    assert '</a>. Or <a href="http://x.org"' in html
    assert LINK_REL == "noopener noreferrer nofollow"


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "ftp://example.com/file", "mailto:a@b.c", "www.example.com", "http://"]
)
def test_linkify_leaves_text_alone_when_not_http(text: str) -> None:
    assert "<a " not in linkify(text)


def test_linkify_escapes_markup_when_text_is_hostile() -> None:
    html = linkify('<script>x</script> https://e.com/"><img src=x onerror=alert(1)>\nnext')
    assert "<script>" not in html
    assert "<img" not in html
    assert '<a href="https://e.com/"' in html
    assert html.endswith("<br>next")


def test_money_reads_the_same_everywhere() -> None:
    assert format_money(Decimal("400000")) == "$400,000.00"
    assert format_money(Decimal("1234.5"), places=0) == "$1,234"
    assert format_money(None) == "—"
    rendered = Template("{{ a|money }} {{ b|money:0 }} {{ note|linkify }}").render(
        Context({"a": Decimal("400000"), "b": Decimal("2500000"), "note": "go https://e.com"})
    )
    assert rendered == f'$400,000.00 $2,500,000 go <a href="https://e.com" rel="{LINK_REL}">https://e.com</a>'
