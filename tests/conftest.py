"""Shared fixtures: the demo personas live in tests/factories.py and per-app conftests."""
