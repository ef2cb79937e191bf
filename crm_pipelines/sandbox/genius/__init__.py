"""Genius sandbox: a generated Genius database (data.py) written into MariaDB (database.py). Genius has no
API: the source reads its MySQL database, so the sandbox is a database, not an HTTP emulator."""
