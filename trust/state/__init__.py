"""What people record in the dashboard: the store, its hash-chained audit log, the answers and who may act."""
