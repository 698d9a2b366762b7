"""The server's start: the Overview a first visit opens on, computed before anyone asks for it.

`streamlit run app.py` serves the app as an ASGI app (app.py's `app`), whose start runs `lifespan`. It starts a
thread that computes what the Overview shows on a visit with no query (the latest week and the seven before it,
for all teams) into the very caches the pages read, and returns at once: the server answers meanwhile. A
visitor who comes before the thread is done waits for that one computation under the page's spinner (the
caches compute a value once, whoever asks), not for a second one; one who comes later finds it done. On the
1M-customer scale set a new export's first Overview otherwise took 8-11 s on two cores, most of it that
computation (`bench/app.py`).

Nothing here decides what a page shows: a problem the warm-up meets (a setting to fix, extracts missing) is left
to the first page, which shows it in words; the warm-up logs one line and stops. It computes only on the embedded
engine: on Spark it would be a cluster's work at every start of every app process, for a visit that may not come.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from streamlit.logger import get_logger

from trust.state.access import local_identity
from trust.ui import frame, loaders, session

_log = get_logger(__name__)  # the server's own log, as Streamlit writes its lines
THREAD = "trust warm-up"


class _NoContextNotice(logging.Filter):
    """Streamlit warns when a thread with no session uses its caches; the warm-up has none by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD


def warm_up() -> None:
    """Compute the latest week's Overview for all teams, as a visit with no query would. Never raises."""
    started = time.perf_counter()
    try:
        config = session.settings()
        if config.engine != "duckdb":
            return  # a cluster's work, at every start of every app process: left to the visits that need it
        if config.uses_demo and not config.extracts_path.exists():
            return  # the first page writes the demo (under its spinner); two writers would race
        db = session.database(config)
        revision = session.store(config).revision()
        key, inventory, weeks, teams = frame.extracts_in_force(config, db)
        if not weeks:
            return
        # The user only decides what a page draws and offers, never what is computed for a week and team.
        first = frame.Frame(config, key, weeks, weeks[0], None, teams, inventory, local_identity(config.local_user),
                            revision)
        loaders.this_week(first, loaders.LAYER_WEEKS)
        db.kept_written()  # so that the line below means done, files kept for later runs included
    except Exception as exc:  # the first page meets the same problem and names it
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _log.warning("the server did not compute the latest week at its start: %s. The first page computes it, "
                     "or names the problem", reason)
        return
    _log.info("the latest week computed at the server's start in %.1f s", time.perf_counter() - started)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """The server's start and stop: the warm-up runs beside the server, which answers at once."""
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoContextNotice())
    threading.Thread(target=warm_up, name=THREAD, daemon=True).start()
    yield
