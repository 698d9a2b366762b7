"""Small render helpers shared by the pages: statuses as icon and word, links to a check, scores and deltas,
record tables with safe downloads, layer scores and what changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from trust.checks.model import Result, Status
from trust.checks.registry import BY_ID
from trust.ui import loaders
from trust.ui.frame import Frame
from trust.ui.kept import kept
from trust.ui.navigation import DETAIL_PAGE
from trust.views.charts import STATUS_STYLE, layer_history
from trust.views.export import masked_rows, safe_csv
from trust.views.markdown import markdown_text
from trust.views.weekly import delta_text, figure_text

if TYPE_CHECKING:
    import pandas as pd

TABLE_STATUS = {"ok": ("✅", "OK"), "broken": ("⛔", "Error"), "absent": ("➖", "Not provided")}
STAGE_HELP = ("Stages of the 60-day sequence: 1 signal stable, 2 ready for a bounded pilot, 3 ready to scale. A "
              "stage counts when none of its checks, nor an earlier stage's, fails or errors, at least one of its "
              "checks is assessed, and (stage 3) a pilot proved the case. The change is computed without checks "
              "one of the two weeks could not judge.")


def badge(status: Status) -> str:
    """A status as icon and word, the same everywhere, so it never depends on colour alone."""
    icon, word, _ = STATUS_STYLE[status]
    return f"{icon} {word}"


def table_status(status: str) -> str:
    icon, label = TABLE_STATUS[status]
    return f"{icon} {label}"


def check_link(f: Frame, result: Result, label: str | None = None) -> None:
    """A link to the check's detail page that keeps the week and team (a `label` passes its values from data
    through markdown_text)."""
    st.page_link(DETAIL_PAGE, label=label or f"{badge(result.status)} · **{result.title}** — "
                                         f"{markdown_text(result.summary)}",
                 query_params={"check": result.id, **f.params})


score = figure_text  # a figure as text, the same on the pages and in the pack
delta = delta_text  # a week-over-week change as text


def data_frame(rows: list, columns: list[str] | None = None) -> pd.DataFrame:
    """Rows (tuples with `columns`, or dicts) as the table st.dataframe and st.table draw. pandas is imported here,
    when a page first draws a table, and not when the UI modules load: a page without one (the Overview) does not
    pay the 0.3 s its import costs on a cold server's first run."""
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def records(columns: tuple[str, ...], rows, key: str, unmasked: bool = False) -> pd.DataFrame:
    """Evidence rows as a table; customer IDs are masked unless asked for."""
    shown = rows if unmasked else masked_rows(columns, rows)
    table = data_frame(list(shown), list(columns))
    st.dataframe(table, hide_index=True, key=key)
    return table


def download(columns: tuple[str, ...], rows, file_name: str, key: str) -> None:
    st.download_button("Download CSV", safe_csv(columns, rows), file_name=file_name, mime="text/csv", key=key,
                       icon=":material/download:")


def no_data(message: str) -> None:
    """Why there is nothing to show, as plain text (it may quote a team, a summary or another value)."""
    st.info(markdown_text(message), icon="ℹ️")


def score_text(result: Result) -> str:
    """A check's score with what it is a rate of; a check judged by status alone says so."""
    if result.score is None:
        return "no score (judged by status)" if result.status.assessed else "no score"
    return f"{result.score:.1f}" + (f" · {result.score_of}" if result.score_of else "")


def layer_metrics(layers, moved) -> None:
    """Each layer's score with its change since last week and, always beside it, its worst status."""
    for column, layer in zip(st.columns(len(layers)), layers, strict=True):
        change = delta(moved.layer_delta(layer.layer), "score")
        column.metric(layer.title, score(layer.score) if layer.score is not None else "not evidenced",
                      delta=change, delta_color="off" if change == "no change" else "normal",
                      help="Share of the layer's assessed checks passing, a warn counting half and an error "
                           "failing; checks not assessed are left out.")
        column.markdown(badge(layer.status))
        column.caption(f"{layer.assessed} of {layer.checks} checks assessed")


def layer_trend(f: Frame, key: str) -> None:
    """The layers' scores over the last 8 weeks."""
    figure = kept(f, "layer_trend", lambda: layer_history(
        [(e.as_of, e.layers) for e in loaders.history(f, loaders.LAYER_WEEKS)], "Layer scores, last 8 weeks"))
    st.plotly_chart(figure, key=key)


def changes_list(f: Frame, moved) -> None:
    """New failures, regressions, fixes, improvements and checks no longer assessed, each linked."""
    for title, results in (("New failures", moved.new_failures), ("Regressions", moved.regressions),
                           ("Fixed", moved.fixed), ("Improved", moved.improvements),
                           ("No longer assessed", moved.unassessed)):
        if not results and title == "No longer assessed":
            continue
        st.markdown(f"**{title}** ({len(results)})")
        for result in results:
            was = badge(moved.previous[result.id])
            check_link(f, result, f"{badge(result.status)} · **{result.title}** (was {was})")
        if not results:
            st.caption("None.")
    if moved.left_out:
        st.caption("Not compared (one of the two weeks could not judge them for want of history, so they are "
                   "left out of the layer and stage changes too): "
                   + ", ".join(BY_ID[i].title for i in moved.left_out) + ".")


def news_lists(f: Frame, news) -> None:
    """The rest of the week's news: new anomalies, journeys about to go live, answers expiring, overdue actions."""
    text = markdown_text
    sections = (
        ("New anomalies", [f"{text(a.field)} = {text(a.value) if a.value is not None else '(empty)'} on "
                           f"{a.snapshot_date.isoformat()}" for a in news.new_anomalies]),
        ("Going live in the next 7 days", [f"{badge(s)} · {text(j.journey_id)} {text(j.name)} "
                                           f"({text(j.team or 'no team')}), {j.go_live_at:%Y-%m-%d %H:%M}"
                                           for j, s in news.going_live]),
        ("Answers expired or expiring within 14 days", [
            f"{'⌛ expired' if d.expired else 'expires'} {d.expires_on.isoformat()} · {text(d.answer.team)} · "
            f"{BY_ID[d.answer.check_id].title if d.answer.check_id in BY_ID else text(d.answer.check_id)}"
            for d in news.answers]),
        ("Overdue actions", [f"⏰ {line.check_title} · {text(line.owner)}, due {line.action.due_date.isoformat()} "
                             f"({text(line.scope)})" for line in news.overdue]),
    )
    for title, lines in sections:
        st.markdown(f"**{title}** ({len(lines)})")
        st.caption("None." if not lines else "  \n".join(lines))


def url_choice(label: str, options: list[str], param: str, format_func: Callable[[str], str]) -> str:
    """A select box kept in the URL as `?param=`, so the page can be linked to and shared."""
    key = f"url.{param}"
    wanted = st.query_params.get(param)
    if wanted in options and st.session_state.get(key) != wanted:
        st.session_state[key] = wanted  # a link to this page chose the value

    def remember() -> None:
        st.query_params[param] = st.session_state[key]

    choice = st.selectbox(label, options, key=key, format_func=format_func, on_change=remember)
    st.query_params[param] = choice
    return choice
