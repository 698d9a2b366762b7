"""Values from data printed into Markdown as text: the app's elements and the Markdown pack show each one as
the characters it holds, never as a link, an image, HTML, formatting, math, an icon or an emoji."""

from __future__ import annotations

import html
import re

WORD_JOINER = "\u2060"  # invisible, and no break: the characters read and wrap as before

# Inline syntax, anywhere in a line: escapes, code, emphasis, strikethrough, links and images, raw HTML and
# autolinks, entities, table cells, math (`$`) and directives (`:red[…]`). CommonMark lets a backslash escape
# any ASCII punctuation, which then shows as itself.
_INLINE = re.compile(r"([\\`*_~\[\]!<>&|$:])")
# Block syntax, at the start of a line: a heading, a quote, a list item (`-`, `+`, `1.`, `1)`) or a setext
# underline (`=`). A value is made one line, so only its start can be at the start of a line.
_BLOCK = re.compile(r"^( ?)(?:([#>+=-])|(\d{1,9})([.)])(?=\s|$))")
# Plain text that renderers rewrite after parsing, where no escape reaches (an escaped `\:` is a plain `:`
# by then): web and e-mail addresses (`http://…`, `www.…`, `a@b.org`) become links, `:name:` an emoji, a
# Material icon or a logo, ` -- `, ` -> `, ` <= `… typographic marks. A word joiner inside each breaks it.
_REWRITTEN = re.compile(r"(?<=:)(?=[\w+/-])|(?i:(?<=www)(?=\.))|(?=@)|(?<=-)(?=[->])|(?<=<)(?=[-=])|(?<=[>~])(?==)")


def markdown_text(value: object) -> str:
    """A value from data (the extracts, the roles file, sign-in claims, answers, notes, or a message that quotes
    them) as Markdown that shows exactly its characters: each mark of Markdown syntax escaped with a backslash,
    a word joiner (U+2060, invisible) inside what a renderer would rewrite as plain text (addresses, shortcodes,
    arrows), and its whitespace made single spaces, as a browser shows it, so that it is one line that opens no
    block. None is the empty string.

    Use it wherever such a value meets Markdown: st.markdown, st.caption, alerts, titles, help tooltips, the
    labels of links, metrics, expanders and buttons, and st.table's cells. Escape the value, not the UI's own
    markup around it (`f"**{markdown_text(owner)}**"`). Where Streamlit shows plain text (st.dataframe, select
    box options, text inputs, st.text, st.code) pass the value unchanged, or the backslashes would show."""
    text = "" if value is None else str(value)
    text = _INLINE.sub(r"\\\1", _REWRITTEN.sub(WORD_JOINER, re.sub(r"\s+", " ", text)))
    return _BLOCK.sub(lambda m: m[1] + (f"\\{m[2]}" if m[2] else f"{m[3]}\\{m[4]}"), text)


def chart_text(value: object) -> str:
    """A value from the data as plotly text: plotly reads a subset of HTML (`<b>`, `<a href>`, entities) in
    every label, legend and hover text, and `%{...}` in hover templates; both are neutralised, so the
    characters show as they are (in the app and in the pack's static charts)."""
    return html.escape("" if value is None else str(value), quote=False).replace("%{", "%" + WORD_JOINER + "{")
