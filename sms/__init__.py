"""The SMS channel (Twilio webhook, conversation state, parser, handlers, texts): arrives with the SMS issue."""
