"""Domain core: service requests, their history, photos, followers and the one write path."""
