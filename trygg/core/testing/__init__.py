"""Helpers for the test suites of every app (no production code imports this package)."""
