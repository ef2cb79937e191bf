"""How an emulator plugs into the kit, and how the kit finds every emulator package.

Each package `crm_pipelines.sandbox.<crm>` (other than `kit`) defines `EMULATOR = EmulatorSpec(...)` in its
`__init__.py`, or `NOT_AN_EMULATOR = True` when the CRM has no HTTP API to emulate (Genius: a database); the server, `Sandbox` and the CLI serve whatever they find, so adding a CRM edits nothing
outside its own package. Free of HTTP: `mount` imports the emulator's routes only when called.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

SANDBOX_PACKAGE = __name__.rsplit(".", 2)[0]  # crm_pipelines.sandbox
NOT_EMULATORS = {"kit"}


@dataclass(frozen=True)
class EmulatorSpec:
    name: str  # the package name: URL prefix /<name>, control API /_sandbox/<name>, Sandbox(<name>=...)
    config_class: type  # an EmulatorConfig subclass
    make_emulator: Callable[[Any], Any]  # config -> Emulator
    mount: Callable[[Any], list]  # emulator -> Starlette routes of its API, served under /<name>
    summary: str = ""  # one line for the index route and --help
    exports: tuple[str, ...] = ()  # names `crm_pipelines.sandbox` re-exports from the package


def _package_names() -> list[str]:
    package = importlib.import_module(SANDBOX_PACKAGE)
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__)
                  if m.ispkg and m.name not in NOT_EMULATORS and not m.name.startswith("_"))


@lru_cache(maxsize=1)
def discover() -> dict[str, EmulatorSpec]:
    """Every emulator package's descriptor, by name (sorted)."""
    found: dict[str, EmulatorSpec] = {}
    for name in _package_names():
        module = importlib.import_module(f"{SANDBOX_PACKAGE}.{name}")
        if getattr(module, "NOT_AN_EMULATOR", False):  # e.g. a database generator: nothing to serve over HTTP
            continue
        spec = getattr(module, "EMULATOR", None)
        if not isinstance(spec, EmulatorSpec):
            raise TypeError(f"{module.__name__} must define EMULATOR = EmulatorSpec(...)")
        if spec.name != name:
            raise ValueError(f"{module.__name__}: EMULATOR.name is {spec.name!r}, expected {name!r}")
        found[name] = spec
    return found


def emulator_spec(name: str) -> EmulatorSpec:
    specs = discover()
    if name not in specs:
        raise KeyError(f"no emulator {name!r}; available: {sorted(specs)}")
    return specs[name]


def make_config(name: str, value: Any = None) -> Any:
    """An emulator's config from None (defaults), a dict of fields, or a config instance."""
    cls = emulator_spec(name).config_class
    if value is None:
        return cls()
    if isinstance(value, dict):
        return cls.from_dict(value)
    if not isinstance(value, cls):
        raise TypeError(f"{name} config must be a {cls.__name__} or a dict, got {type(value).__name__}")
    return value
