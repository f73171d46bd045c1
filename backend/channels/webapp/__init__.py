"""The resident web app at `/`: a mobile-first, installable page of plain ES modules over the
app API (/api/v1), served by the same process (docs/web.md)."""
