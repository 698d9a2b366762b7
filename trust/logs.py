"""What the command line prints of what the code logs: one line per problem on stderr, never a stack trace.

The engine logs a family of facts or a table that failed (with the exception) and carries on; the result
already says what could not be judged. Without a handler, Python's last resort would print the whole
traceback to a gate's output.
"""

from __future__ import annotations

import logging
import sys


class OneLine(logging.Formatter):
    """A record as `trust: <message>: <first line of its exception>`."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"trust: {record.getMessage()}"
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            lines = str(error).strip().splitlines()
            text += f": {lines[0] if lines else type(error).__name__}"
        return text


def one_line_logging() -> None:
    """Warnings and errors as one line each on stderr, unless the host (a test runner) set logging up already."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
