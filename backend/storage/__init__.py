"""Photo validation, re-encoding and on-disk storage."""
