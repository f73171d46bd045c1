"""Interpreter callbacks: texts in a language City311 does not write, queued for an operator who
calls the resident back with an interpreter (the language bank; sms/language_bank.py)."""
