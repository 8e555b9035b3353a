"""Descriptions: HTML to plain text, e-mail addresses removed."""

from __future__ import annotations

import pytest

from harvester.normalise.vocab import EMAIL_REMOVED, clean_description, plain_text, scrub_emails


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Just text.", "Just text."),
        ("  spaced   out\ttext  ", "spaced out text"),
        ("plain\n\n\n\ntext", "plain\n\ntext"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("a < b and c > d", "a < b and c > d"),
        ("1 &lt; 2", "1 < 2"),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<p>One<br>two</p>", "One\ntwo"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>", "- a\n- b"),
        ("<ol><li><p>nested</p></li><li>x</li></ol>", "- nested\n\n- x"),
        ("<p>Count <b>birds</b> &amp; <i>bats</i></p>", "Count birds & bats"),
        ("<p>Body\n with newline</p>", "Body with newline"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        (
            "<html><head><title>T</title></head><body><h1>Head</h1><p>Body</p></body></html>",
            "Head\n\nBody",
        ),
        # scripts and styles go with their content
        ("<p>x</p><script>alert(1)</script><style>p{color:red}</style>y", "x\n\ny"),
        ("<div><script>a</script>tail kept</div>", "tail kept"),
        ("<img src=x onerror=alert(1)>hi", "hi"),
        ("<a href='javascript:alert(1)'>link</a>", "link"),
        ("<!-- comment -->text", "text"),
        # Zenodo: escaped once, and escaped twice
        (
            "&lt;p&gt;Hello &amp;amp; bye&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;",
            "Hello & bye\n\nSecond",
        ),
        ("&amp;lt;p&amp;gt;Count birds&amp;lt;/p&amp;gt;", "Count birds"),
        ("&lt;p&gt;caf&amp;eacute;&lt;/p&gt;", "café"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;text", "text"),
        ("&amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt;ok", "ok"),
        ("&#60;b&#62;bold&#60;/b&#62;", "bold"),
        ("", ""),
        ("<b></b>", ""),
        ("\x00<p>\ud800x</p>", "x"),
    ],
)
def test_plain_text(text: str, expected: str) -> None:
    assert plain_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact info@britishhedgehogs.org.uk now", f"Contact {EMAIL_REMOVED} now"),
        ("first.last+tag@sub.example.co.uk,", f"{EMAIL_REMOVED},"),
        ("mailto:a@b.co", EMAIL_REMOVED),
        ("x@y.org.", f"{EMAIL_REMOVED}."),
        ("A @ b.org", EMAIL_REMOVED),
        ("jane.doe [at] example [dot] org", EMAIL_REMOVED),
        ("name(at)example.org", EMAIL_REMOVED),
        ("x (at) uni-bonn (dot) de", EMAIL_REMOVED),
        ("Mail: j.smith[ät]uni.de", f"Mail: {EMAIL_REMOVED}"),
        ("name AT example DOT org", EMAIL_REMOVED),
        ("email me at jan at gmail dot com", f"email me at {EMAIL_REMOVED}"),
        ("look at example.org", "look at example.org"),
        ("100 at 5.3 dot", "100 at 5.3 dot"),
        ("a@b", "a@b"),
        ("user@123.45", "user@123.45"),
        ("@handle on social media", "@handle on social media"),
    ],
)
def test_scrub_emails(text: str, expected: str) -> None:
    assert scrub_emails(text) == expected


def test_clean_description() -> None:
    raw = (
        "&lt;p&gt;Write to &lt;a href='mailto:jo@example.org'&gt;jo@example.org&lt;/a&gt;&lt;/p&gt;"
    )
    assert clean_description(raw) == f"Write to {EMAIL_REMOVED}"


def test_not_a_string() -> None:
    assert plain_text(None) == ""  # type: ignore[arg-type]
    assert scrub_emails(3) == ""  # type: ignore[arg-type]
