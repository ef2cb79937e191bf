"""CRM sandbox: HTTP emulators of the CRM APIs the pipelines read, with fault injection.

Written from the APIs' reference documentation only: never import the project's own clients here, or a
client that misreads the API would be tested against its own misreading.

`Sandbox` (HTTP, needs starlette/uvicorn) and each emulator's exported names (`HubSpotConfig`,
`HubSpotEmulator`, ...) are resolved lazily, so importing a config or a data generator never starts the
HTTP stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .hubspot import HubSpotConfig, HubSpotEmulator
    from .kit.http.runner import Sandbox


def __getattr__(name: str) -> Any:
    if name == "Sandbox":
        from .kit.http.runner import Sandbox

        return Sandbox
    from .kit.spec import SANDBOX_PACKAGE, discover

    for crm, spec in discover().items():
        if name in spec.exports:
            return getattr(importlib.import_module(f"{SANDBOX_PACKAGE}.{crm}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    from .kit.spec import discover

    return sorted({*globals(), "Sandbox", *(n for spec in discover().values() for n in spec.exports)})
