"""Police: non-emergency reports for the Alternate Response Section, and beat meetings."""
