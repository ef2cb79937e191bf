"""Arrivy emulator: tasks (schedule windows), status histories, entities and readings, groups, crews,
status definitions, bookings; see sandbox/README.md."""

from ..kit.spec import EmulatorSpec
from .config import ArrivyConfig
from .emulator import ArrivyEmulator


def mount(emu: ArrivyEmulator) -> list:
    """The API routes served under /arrivy (imports starlette, hence only when serving)."""
    from .routes import api_routes

    return api_routes(emu)


EMULATOR = EmulatorSpec(
    name="arrivy",
    config_class=ArrivyConfig,
    make_emulator=ArrivyEmulator,
    mount=mount,
    summary="Arrivy: /api/tasks (+/{id}, /{id}/status), entities (+readings), groups, crews, statuses, bookings",
    exports=("ArrivyConfig", "ArrivyEmulator"),
)

__all__ = ["EMULATOR", "ArrivyConfig", "ArrivyEmulator"]
