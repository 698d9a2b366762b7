"""One SQL source, two dialects: the statements of queries/ are written in DuckDB's dialect and
transpiled to Spark SQL by sqlglot.

Parameters (`$name`) become typed literals of the target dialect, so a statement is sent whole
(Spark has no parameter binding for arrays of dates); strings are quoted by sqlglot's generator.
Table names may be mapped to the engine's own names (a load's or an evaluation's), leaving the
names of a statement's own common table expressions alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import sqlglot
from sqlglot import exp

SOURCE = "duckdb"


class UnboundParameter(ValueError):
    """A statement names a parameter the caller did not give."""


@lru_cache(maxsize=512)  # the statements of queries/, and a few per evaluation
def _parsed(text: str) -> exp.Expression:
    return sqlglot.parse_one(text, read=SOURCE)


def literal(value: object) -> exp.Expression:
    """`value` as a typed SQL literal: dates, timestamps, numbers, text, booleans, NULL and lists."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} cannot be written as a SQL literal")
        return exp.cast(exp.Literal.string(repr(value)), "DOUBLE")
    if isinstance(value, Decimal):
        return exp.Literal.number(str(value))
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[literal(v) for v in value])
    raise TypeError(f"a parameter of type {type(value).__name__} cannot be written as a SQL literal")


def transpile(text: str, params: Mapping[str, object] | None = None, tables: Mapping[str, str] | None = None,
              dialect: str = "spark") -> str:
    """`text` (DuckDB's dialect) in `dialect`, its parameters written as literals and its tables renamed."""
    params = params or {}
    tables = tables or {}
    tree = _parsed(text).copy()
    own = {cte.alias for cte in tree.find_all(exp.CTE)}

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            name = node.name
            if name not in params:
                raise UnboundParameter(f"the statement needs the parameter ${name}, which was not given")
            return literal(params[name])
        if isinstance(node, exp.CTE) and node.args.get("materialized") is not None and dialect != SOURCE:
            node.set("materialized", None)  # a DuckDB planning hint; Spark plans each CTE itself
            return node
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name in tables and node.name not in own:
            renamed = exp.to_table(tables[node.name])
            renamed.set("alias", node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name)))
            return renamed
        return node

    return tree.transform(rewrite).sql(dialect)
