"""The engine in force (`TRUST_ENGINE`): the embedded DuckDB database, or Spark, imported only when chosen."""

from __future__ import annotations

from typing import Any

from trust.extracts.database import Database
from trust.settings import Settings


def open_database(settings: Settings) -> Any:
    """The database that runs the checks for `settings`: a `Database`, or a `SparkDatabase` with the same methods."""
    if settings.engine == "spark":
        from trust.spark.database import SparkDatabase

        return SparkDatabase(None if settings.spark_database else settings.extracts_path, settings.spark_database,
                             settings.spark_remote, settings.threads, settings.spark_memory)
    return Database.for_settings(settings)
