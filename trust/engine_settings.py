"""The settings of the engine that runs the checks: DuckDB embedded (the default) or Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings


class EngineSettings(BaseSettings):
    """Which engine runs the checks' SQL, and its limits. Part of `Settings`."""

    engine: Literal["duckdb", "spark"] = Field(
        "duckdb", description="The engine that runs the checks: `duckdb` (embedded, the default) or `spark` "
        "(needs `pip install 'trust-dashboard[spark]'`; see \"When your extracts outgrow one machine\").",
    )
    spark_remote: str | None = Field(
        None, pattern=r"^sc://[^\s/]+(:\d+)?(/.*)?$",
        description="Spark Connect URL such as `sc://spark.example.com:15002` (with `TRUST_ENGINE=spark`); "
        "unset: a local Spark session on this machine.",
    )
    spark_database: str | None = Field(
        None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$",
        description="Catalog database (`schema` or `catalog.schema`) whose tables, named as in the contract, "
        "hold the extracts (with `TRUST_ENGINE=spark`); unset: Spark reads the files of `TRUST_EXTRACTS`.",
    )
    spark_memory: str = Field(
        "2g", pattern=r"^\d+[kmgt]$", description="Driver memory of a local Spark session, e.g. `4g`.",
    )

    # DuckDB
    memory_limit: str = Field(
        "2GB", pattern=r"^\d+(\.\d+)?\s*[KMGT]i?B$",
        description="Most memory DuckDB may use, e.g. `2GB`; beyond it DuckDB spills to disk or fails.",
    )
    threads: int = Field(2, ge=1, le=256, description="Threads the engine may use (DuckDB, or local Spark).")
    facts_cache: Path | None = Field(
        Path(".trust/facts"),
        description="Folder where DuckDB keeps, per export, the facts that no date or setting changes (the "
        "customers' presence and field values) and the costly results of an evaluation (pre-flight's audiences "
        "and flags, the governance counts and records; per dates and rules), so that "
        "later runs on that export read them back; empty: never kept. Safe to delete at any time.",
    )

    @field_validator("facts_cache", mode="before")
    @classmethod
    def _unset(cls, value: object) -> object:
        """`TRUST_FACTS_CACHE=` (empty) turns keeping off; it is never the current folder."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def reads_catalog(self) -> bool:
        """Whether the extracts are the tables of a catalog database rather than files."""
        return self.engine == "spark" and self.spark_database is not None
