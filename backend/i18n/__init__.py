"""Message catalogs (gettext .po files managed with Babel) for every resident-facing sentence."""
