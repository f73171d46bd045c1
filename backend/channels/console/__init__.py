"""The operator console at /staff/: server-rendered pages (Jinja) over the same services as the
staff API, signed in with the staff login (router.py mounts them; docs/console.md)."""
