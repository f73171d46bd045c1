"""Tests of the SMS channel."""
