"""Scheduled jobs: what runs on its own, when, and how it went (issue 17.6)."""
