"""Scheduled jobs: one module per job, each a thin entry point over the domain services."""
