"""Channels: thin adapters that parse input, call the domain services and render output."""
