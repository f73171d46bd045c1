"""Tests of residents' notifications (Web Push)."""
