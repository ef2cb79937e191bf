"""The error an API handler raises; the emulator's dialect renders it in its CRM's shape."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
