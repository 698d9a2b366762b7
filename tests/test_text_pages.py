"""Values from data reach the pages as text (AppTest): Markdown and HTML planted in the extracts, the state store
and the sign-in claims come out escaped in every element Streamlit reads as Markdown, and unchanged in those
it shows as plain text."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from tests import planted
from tests.apprun import answering
from tests.planted import ANSWERED_BY, CHECK, COMMENT, HOST, NAME, NOTE, OWNER, PLANT
from tests.test_signin_pages import AUTH
from trust.views.markdown import WORD_JOINER, markdown_text

MARKDOWN = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")
COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.fixture
def root(demo_extracts, tmp_path):
    planted.state(tmp_path / "state" / "state.db", tmp_path / "state" / "audit.key")  # the env fixture's store
    return planted.extracts(demo_extracts, tmp_path / "extracts")


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown of every element on the page (the sidebar's too) that Streamlit reads as Markdown."""
    found = [e.value for kind in MARKDOWN for e in at.get(kind)]
    found += [link.proto.label for link in at.get("page_link")]
    found += [text for m in at.metric for text in (m.label, m.proto.help)]
    found += [str(cell) for table in at.table for cell in (*table.value.to_numpy().ravel(), *table.value.index)]
    return found


def planted_shown_as_text(at: AppTest, *values: str) -> list[str]:
    """The elements showing planted text: each value is there escaped, and nothing of it reads as Markdown."""
    sources = markdown_sources(at)
    for value in values:
        assert any(markdown_text(value) in s for s in sources), value
    shown = [s for s in sources if HOST in s]
    for source in shown:
        rendered = COMMONMARK.render(source)
        assert not re.search(r"<(img|a|b|em|code|del)\b|<strong>BOLD", rendered), source
        text = html.unescape(rendered)
        assert f"http://{HOST}" not in text and f"www.{HOST}" not in text and f"a@{HOST}" not in text, source
        assert PLANT not in source
    return shown


def test_the_overview_shows_a_planted_owner_and_staff_name_as_text(root, app):
    at = app(root, "pages/overview.py", team="crm")
    shown = planted_shown_as_text(at, OWNER, NAME)
    assert any(label.startswith("❌ Fail · **Pre-flight checks before go-live** · owner: ")
               and markdown_text(OWNER) in label for label in shown)  # the UI's own bold is kept


def test_the_check_detail_shows_a_planted_owner_comment_and_e_mail_as_text(root, app):
    at = app(root, "pages/check.py", check="signal.preflight", team="crm")
    planted_shown_as_text(at, OWNER)
    at = app(root, "pages/check.py", check=CHECK, team="crm")
    shown = planted_shown_as_text(at, COMMENT)
    assert any(f"owner: ana{WORD_JOINER}@{HOST}" in s for s in shown)  # an e-mail is no mailto: link


def test_the_checklist_escapes_the_answers_table_and_keeps_inputs_and_dataframes_plain(root, app):
    at = app(root, "pages/checklist.py", team="crm")
    planted_shown_as_text(at, COMMENT)
    answers = at.table[0].value
    assert answers["Comment"].tolist() == [markdown_text(COMMENT)]  # st.table reads its cells as Markdown
    assert answering(at).text_input(key=f"comment.crm.{CHECK}").value == COMMENT  # an input: plain text, unchanged
    everyone = app(root, "pages/checklist.py")  # the change history of all teams holds the organisation's reviews
    everyone.session_state["checklist.history"] = True  # drawn only once opened
    everyone.run()
    history = next(d.value for d in everyone.dataframe if "After" in d.value.columns)
    assert NOTE in history["After"].tolist()  # so does a dataframe


def test_a_signed_in_name_is_shown_as_text(root, app, env, tmp_path):
    roles = tmp_path / "roles.csv"
    roles.write_text(f"email,role,teams\n{ANSWERED_BY.email},leadership,\n")
    env(roles_file=roles)
    at = app(root, "pages/overview.py", user={"is_logged_in": True, "email": ANSWERED_BY.email,
                                             "name": ANSWERED_BY.name}, auth=AUTH)
    shown = planted_shown_as_text(at, ANSWERED_BY.name)
    assert f"Signed in as **{markdown_text(ANSWERED_BY.name)}** · leadership" in shown
