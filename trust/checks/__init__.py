"""The trust-stack checks: one module per layer; the registry lives in trust.checks.registry."""
