"""Transports: clients of the outside services that carry messages (Twilio), shared by the channels and notify."""
