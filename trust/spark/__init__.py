"""The Spark engine: the same queries, transpiled by sqlglot, on a local Spark session or a Spark Connect
server, over extract files Spark reads or tables of a catalog database. Optional: `pip install 'trust[spark]'`;
the embedded DuckDB path never imports this package."""
