"""Opening a Spark session for the checks: a Spark Connect server when one is named, else a local session.

The session is set so that Spark's answers are DuckDB's: UTC, timestamps without a zone, no ANSI errors
on a division by zero (NULL, as in DuckDB), and the size of a NULL list NULL rather than -1.
"""

from __future__ import annotations

import logging
import re
import socket
import warnings
from typing import Any
from urllib.parse import urlparse

from trust.extracts.errors import ExtractsUnavailable

CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.legacy.sizeOfNull": "false",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.legacy.parquet.nanosAsLong": "true",
    # Parquet TIME columns (allowed as extra columns, and ignored) are read rather than refused.
    "spark.sql.timeType.enabled": "true",
    "spark.sql.caseSensitive": "true",
    # Hive folder values are read as text and converted by the contract's rules, as in a file.
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.warehouse.dir": "",  # set per session below: never the working directory
    "spark.log.structuredLogging.enabled": "false",
}


class SparkUnavailable(ExtractsUnavailable):
    """Spark is not installed, or the Spark Connect server cannot be reached."""


def quiet() -> None:
    """pyspark logs every failed statement with its stack trace; the checks report failures themselves."""
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger", "py4j", "pyspark"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def open_session(remote: str | None, threads: int = 2, memory: str = "2g", warehouse: str | None = None) -> Any:
    """A Spark session: Spark Connect at `remote` (`sc://host:port`), or local[threads] when unset."""
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    warnings.filterwarnings("ignore", message=r"\[RETRIES_EXCEEDED\]")  # the error that follows says why
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("TRUST_ENGINE=spark needs the Spark extra: pip install 'trust-dashboard[spark]'") \
            from None
    quiet()
    if remote:
        return _connect(SparkSession, remote)
    import tempfile

    builder = SparkSession.builder.master(f"local[{threads}]").appName("trust-dashboard")
    conf = {**LOCAL_CONF, **CONF, "spark.driver.memory": memory,
            "spark.sql.warehouse.dir": warehouse or tempfile.mkdtemp(prefix="trust-spark-warehouse-")}
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("OFF")
    return session


def _reachable(remote: str) -> str | None:
    """Why the Spark Connect server's port cannot be opened, or None when it can (a quick, clear refusal
    instead of the client's ten minutes of retries)."""
    address = urlparse(remote.replace("sc://", "http://", 1))
    try:
        with socket.create_connection((address.hostname or "localhost", address.port or 15002), timeout=10):
            return None
    except OSError as exc:
        return exc.strerror or str(exc) or type(exc).__name__


def shown(remote: str) -> str:
    """The URL without its parameters (`/;token=...`), which may hold a secret and are never printed."""
    return remote.split("/;", 1)[0] + ("/;…" if "/;" in remote else "")


def _connect(spark_session: Any, remote: str) -> Any:
    refused = _reachable(remote)
    if refused:
        raise SparkUnavailable(f"the Spark Connect server at TRUST_SPARK_REMOTE={shown(remote)} cannot be "
                               f"reached: {refused}")
    try:
        from pyspark.sql.connect.client.retries import DefaultPolicy

        session = spark_session.builder.remote(remote).getOrCreate()
        # A few quick retries for a busy server, not the default ten minutes.
        session.client.set_retry_policies([DefaultPolicy(max_retries=4, max_backoff=2000)])
        for key, value in CONF.items():
            session.conf.set(key, value)
        session.sql("SELECT 1").collect()  # the first call is the one that reaches the server
    except ImportError as exc:
        raise SparkUnavailable(f"TRUST_SPARK_REMOTE needs the Spark Connect client: {exc}") from None
    except Exception as exc:
        reason = _reason(exc)
        raise SparkUnavailable(f"the Spark Connect server at TRUST_SPARK_REMOTE={shown(remote)} cannot be "
                               f"reached: {reason[:300].replace(remote, shown(remote))}") from None
    return session


def _reason(exc: Exception) -> str:
    """Why a call failed, in words: a gRPC failure's details (its first line is only the error's class name)."""
    text = str(exc).strip()
    details = re.search(r'details = "([^"]+)"', text)
    if details:
        return details.group(1)
    return text.splitlines()[0] if text else type(exc).__name__


def keep(session: Any, name: str, statement: str) -> None:
    """Compute `statement` once and keep its rows as the temporary view `name`.

    A local checkpoint rather than `CACHE TABLE`: Spark compares every plan it analyses with every cached
    plan, which made each statement over a dozen cached tables take seconds to plan; a checkpoint's plan
    is a scan of rows already computed.
    """
    session.sql(statement).localCheckpoint(eager=True).createOrReplaceTempView(name)


def drop(session: Any, name: str) -> None:
    session.sql(f"DROP VIEW IF EXISTS {name}")
