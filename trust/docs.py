"""README sections generated from the code, so the documented settings and contract cannot drift.

Run `python -m trust.docs` (or `make docs`) to rewrite them; a test fails when they are stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from trust.extracts.contract import TABLES
from trust.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def default_text(name: str, default: object) -> str:
    """A setting's default as the configuration table shows it."""
    if default is None:
        return "(demo extracts)" if name == "extracts" else "(unset)"
    if isinstance(default, tuple):
        default = ", ".join(default)
    return f"`{default}`"


def settings_table() -> str:
    rows = ["| Setting | Environment variable | Default | Meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        shown = default_text(name, field.default)
        rows.append(f"| `{name}` | `TRUST_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)


PIPE = "\\|"  # a pipe inside a Markdown table cell


def contract_table() -> str:
    rows = ["| Table | Columns (type; * = never empty; ? = may be absent; (a\\|b) = one of) |", "|---|---|"]
    for table in TABLES:
        columns = ", ".join(
            f"`{c.name}` {c.type.value}{'*' if c.not_null else ''}{'?' if c.optional else ''}"
            + (" (" + PIPE.join(c.choices) + ")" if c.choices else "")
            for c in table.columns
        )
        rows.append(f"| `{table.name}`{'' if table.required else ' (optional)'} | {columns} |")
    return "\n".join(rows)


def checks_table() -> str:
    from trust.checks.model import LAYER_TITLES
    from trust.checks.registry import CHECKS

    rows = ["| Check | Layer | Asks | Thresholds (settings) | Readiness stages |", "|---|---|---|---|---|"]
    for check in CHECKS:
        settings = ", ".join(f"`{name}`" for name in check.settings) or "—"
        kind = " *(self-assessed)*" if check.self_assessed else ""
        scope = "" if check.team_scoped else " Organisation-wide."
        stages = ", ".join(str(n) for n in check.stages) or "—"
        rows.append(f"| `{check.id}` | {LAYER_TITLES[check.layer]} | {check.question}{kind}{scope} | {settings} "
                    f"| {stages} |")
    return "\n".join(rows)


SECTIONS = {"settings": settings_table, "contract": contract_table, "checks": checks_table}


def render(text: str) -> str:
    """`text` with every generated section replaced by its current content."""
    for name, build in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README.md has no '<!-- {name}:start -->' section")
        text = pattern.sub(lambda m, b=build: m.group(1) + b() + "\n" + m.group(2), text)
    return text


def main() -> int:
    current = README.read_text(encoding="utf-8")
    updated = render(current)
    if updated != current:
        README.write_text(updated, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
