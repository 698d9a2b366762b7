"""Values from data shown as text in Markdown: every construct of Streamlit's Markdown comes out literal, and a
CommonMark renderer gives back the value's characters."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from trust.views.markdown import WORD_JOINER, markdown_text

COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# What Streamlit 1.67's Markdown does to plain text after parsing (ported from its frontend bundle,
# StreamlitMarkdown.*.js), where a backslash no longer matters: GFM's address and e-mail autolinks, emoji,
# Material icons and the logo shortcode, typographic arrows and dashes. Each is matched more broadly here.
REWRITES = {
    "web address": re.compile(r"(?i)(https?://|www\.)[-.\w]+"),
    "e-mail address": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+"),
    "shortcode": re.compile(r":[\w+/-]+:"),
    "typographic mark": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
# Syntax CommonMark does not know but Streamlit's Markdown does: math (`$…$`) and directives (`:red[…]`);
# an unescaped `$` or `:` may open one.
EXTENSIONS = re.compile(r"[$:]")

CASES = {
    "image": "![px](http://planted.invalid/px.png)",
    "link": "[click](http://planted.invalid/phish)",
    "reference link": "[click][1] [1]: http://planted.invalid/",
    "emphasis": "**BOLD** *it* __b__ _i_",
    "strikethrough": "~~gone~~ ~one~",
    "code": "`code` ``more``",
    "html": "<img src=http://planted.invalid/i.png> <b>b</b> <!-- c -->",
    "angle autolink": "<http://planted.invalid/a> <ana@planted.invalid>",
    "web autolink": "see http://planted.invalid/x and https://planted.invalid",
    "www autolink": "www.planted.invalid",
    "e-mail autolink": "ana@planted.invalid",
    "entity": "&amp; &lt;b&gt; &#x41;",
    "math": "$x^2$ and $$y$$",
    "directive": ":red[red] :blue-background[bg] ::leaf :::block",
    "emoji": "hi :smile: :+1: :100:",
    "icon": ":material/home: and :material/home",
    "logo": ":streamlit:",
    "heading": "# Heading",
    "quote": "> quote",
    "list": "- item",
    "plus list": "+ item",
    "ordered list": "1. item",
    "ordered list with parenthesis": "2026) item",
    "indented code": "    code",
    "setext heading": "Title\n===",
    "thematic break": "***",
    "table": "a | b\n--|--\nc | d",
    "typographic": "a -- b -> c <= d >= e ~= f <-> g",
    "backslash": "a \\*b\\* \\",
    "hard break": "one  \ntwo\\\nthree",
}


def _shown(source: str) -> tuple[str, list[str]]:
    """What a browser would show for `source` as Markdown, and what it would interpret there."""
    rendered = COMMONMARK.render(source).strip()
    interpreted = [f"tag <{t}>" for t in re.findall(r"<(\w+)", rendered) if t != "p"]
    if rendered.count("<p>") > 1:
        interpreted.append("more than one paragraph")
    text = html.unescape(re.sub(r"</?p>", "", rendered))
    interpreted += [name for name, pattern in REWRITES.items() if pattern.search(text)]
    if EXTENSIONS.search(re.sub(r"\\.", "", source)):
        interpreted.append("an unescaped $ or :")
    if ":material/" in source:  # Streamlit rewrites this in the source, before any escape is read
        interpreted.append("an icon")
    return text.replace(WORD_JOINER, ""), interpreted


def _as_a_browser_shows(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


@pytest.mark.parametrize("value", CASES.values(), ids=CASES.keys())
def test_every_construct_is_interpreted_raw_and_shown_literally_once_escaped(value):
    raw_text, raw_interpreted = _shown(value)
    assert raw_interpreted or raw_text != _as_a_browser_shows(value), "the checks below would pass vacuously"
    text, interpreted = _shown(markdown_text(value))
    assert interpreted == []
    assert text == _as_a_browser_shows(value)


@pytest.mark.parametrize("value", CASES.values(), ids=CASES.keys())
def test_no_mark_of_syntax_is_left_unescaped(value):
    escaped = markdown_text(value)
    assert not re.search(r"[\[\]!*_`$:<>&|~]", re.sub(r"\\.", "", escaped)), escaped
    assert "\n" not in escaped and not re.match(r" ?[#>+=-]| ?\d+[.)]( |$)", escaped)


@given(st.text(st.sampled_from("ab1 :/@.-_*`[]()!<>&|~$#+=\\\n\t")
               | st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters=WORD_JOINER)))
def test_any_text_round_trips_through_commonmark(value):
    text, interpreted = _shown(markdown_text(value))
    assert interpreted == []
    assert text == _as_a_browser_shows(value)


def test_the_uis_own_markup_around_an_escaped_value_still_works():
    for value in ("Ana", "x_", "*", "a**b", "[x]", "-"):
        assert COMMONMARK.render(f"**{markdown_text(value)}** · owner").strip() == (
            f"<p><strong>{html.escape(value, quote=False)}</strong> · owner</p>")


def test_none_is_empty_and_other_values_are_their_text():
    assert markdown_text(None) == ""
    assert markdown_text(12.5) == "12.5"
    assert markdown_text(ValueError("no [x]")) == "no \\[x\\]"
