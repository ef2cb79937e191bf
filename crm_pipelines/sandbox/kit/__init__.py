"""The sandbox kit: everything CRM emulators share (see sandbox/README.md, "The kit").

HTTP-free: `config`, `emulator`, `faults`, `mutations`, `ratelimit`, `stats`, `spec` and `generate/`.
HTTP (starlette/uvicorn): `http/` — request pipeline, control API, ASGI app, runner and CLI.
"""

from .config import EmulatorConfig
from .emulator import Emulator
from .errors import ApiError
from .faults import FaultVocabulary
from .spec import EmulatorSpec, discover

__all__ = ["ApiError", "Emulator", "EmulatorConfig", "EmulatorSpec", "FaultVocabulary", "discover"]
