"""The offices and users CSV exports: UTF-8 with a byte-order mark, one file per export, the newest
complete one being the current set (BEHAVIOR.md #11-#13)."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import Failure

log = logging.getLogger(__name__)


def candidates(folder: Path, prefix: str) -> list[Path]:
    """`<prefix>*.csv` files, newest first (modification time, then name)."""
    if not folder.is_dir():
        raise Failure(f"SALESPRO_EXPORTS_DIR {str(folder)!r} is not a folder")
    files = [p for p in folder.glob(f"{prefix}*.csv") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)


def problem(path: Path) -> str | None:
    """Why the file is not a complete export (None when it is): it must end with a line break and every
    row must have the header's number of fields (a copy still in progress fails one or the other)."""
    with path.open("rb") as raw:
        raw.seek(0, 2)
        if raw.tell() == 0:
            return "empty"
        raw.seek(-1, 2)
        if raw.read(1) not in (b"\n", b"\r"):
            return "does not end with a line break"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            return "no header"
        for number, row in enumerate(reader, start=2):
            if row and len(row) != len(header):
                return f"row {number} has {len(row)} fields, the header {len(header)}"
    return None


def latest_complete(folder: Path, prefix: str) -> Path:
    found = candidates(folder, prefix)
    for path in found:
        try:
            why = problem(path)
        except UnicodeDecodeError:
            why = "not UTF-8"
        if why is None:
            return path
        log.warning("SalesPro export %s skipped: %s", path.name, why)
    raise Failure(f"no complete {prefix}*.csv export in SALESPRO_EXPORTS_DIR ({len(found)} candidates)")


def read(path: Path, page_size: int) -> Iterator[list[dict[str, Any]]]:
    """Rows as {header name: text}; "utf-8-sig" drops the byte-order mark, which would otherwise become part
    of the first column's name (and so lose every row's key)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        page: list[dict[str, Any]] = []
        for row in csv.DictReader(handle):
            page.append(row)
            if len(page) >= page_size:
                yield page
                page = []
        if page:
            yield page
