"""Genius sandbox: a generated Genius database (data.py), written into MariaDB for the tests (database.py) or
served by an embedded MySQL-protocol stand-in for `make demo` (standin.py). Genius has no API: the source
reads its MySQL database, so the sandbox is a database, not an HTTP emulator."""

# Nothing to serve over HTTP: the kit's server skips this package (sandbox/kit/spec.py).
NOT_AN_EMULATOR = True
