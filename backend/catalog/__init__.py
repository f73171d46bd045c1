"""Catalog: departments, service types, their questions and SLAs."""
