"""The information database: articles about city programs, events and how-tos, and their search."""
