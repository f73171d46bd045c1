"""Stand-ins for outside services, served over loopback so the real client libraries talk to them."""
