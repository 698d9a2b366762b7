"""The README documents every setting and every table of the contract exactly as the code has them."""

from __future__ import annotations

import re

from trust.docs import README, render
from trust.settings import Settings


def test_readme_generated_sections_are_current():
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "README.md is stale: run `make docs`"


def test_every_setting_is_in_the_configuration_table_with_its_default():
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- settings:start -->")[1].split("<!-- settings:end -->")[0]
    documented = dict(re.findall(r"^\| `(\w+)` \| `TRUST_\w+` \| (.*?) \|", section, re.M))
    assert set(documented) == set(Settings.model_fields)
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        expected = ", ".join(field.default) if isinstance(field.default, tuple) else field.default
        assert documented[name] == ("(demo extracts)" if name == "extracts" else "(unset)") if expected is None \
            else f"`{expected}`"


def test_readme_quick_start_is_exactly_two_commands():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start")[1].split("```sh")[1].split("```")[0]
    commands = [line.split("#")[0].strip() for line in quick.strip().splitlines()]
    assert commands == ["make run", "make test"]
