"""Hostile and broken input: nothing crashes, nothing leaks, nothing is lost (see docs/guide/security.md)."""
