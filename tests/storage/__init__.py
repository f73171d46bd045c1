"""Tests for backend.storage."""
