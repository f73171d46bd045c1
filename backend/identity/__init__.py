"""Identity: anonymous resident devices (and later phones, staff users and roles)."""
