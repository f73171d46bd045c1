"""Notifications: the outbox written with each change, its templates, transports and dispatch."""
