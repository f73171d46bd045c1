"""Resident app API v1: JSON, camelCase, anonymous device tokens."""
