"""The interpreter callback queue: one row per phone waiting for a call back (its texts appended
while it waits), private like every reporter's contact: only staff read it."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class InterpreterCallback(Table):
    id: Serial  # Piccolo's primary key, named for the type checker
    phone = Varchar(length=32, index=True)  # E.164; never shown outside the staff API
    channel = Varchar(length=16, default="sms")
    language = Varchar(length=16, null=True, default=None)  # detected: "ar", "ht"; None: unnamed
    language_name = Varchar(length=64, default="")  # "Arabic", "unidentified"
    text = Text(default="")  # the resident's texts, oldest first, one a line
    texts = Integer(default=1)  # how many texts it holds
    last_message_sid = Varchar(length=64, null=True, default=None)  # a redelivery adds nothing
    status = Varchar(length=16, default="open", index=True)  # open, done
    created_at = Timestamptz()
    updated_at = Timestamptz()
    done_at = Timestamptz(null=True, default=None)
    done_by = Integer(null=True, default=None)  # the staff user who called back
    interpreter_language = Varchar(length=16, null=True, default=None)  # the language used
    tracking_number = Varchar(length=40, null=True, default=None)  # a request filed on the call
    note = Text(null=True, default=None)
