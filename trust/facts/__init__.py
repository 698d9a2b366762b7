"""Typed facts the checks judge, one family per kind of evidence, and how each family is collected by SQL."""
