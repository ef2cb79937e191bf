"""LeadConduit emulator: the Events API (`GET /events`); see sandbox/README.md."""

from ..kit.spec import EmulatorSpec
from .config import LeadConduitConfig
from .emulator import LeadConduitEmulator


def mount(emu: LeadConduitEmulator) -> list:
    """The API routes served under /leadconduit (imports starlette, hence only when serving)."""
    from .routes import api_routes

    return api_routes(emu)


EMULATOR = EmulatorSpec(
    name="leadconduit",
    config_class=LeadConduitConfig,
    make_emulator=LeadConduitEmulator,
    mount=mount,
    summary="LeadConduit Events API: GET /events (after_id/before_id, start/end, limit, sort)",
    exports=("LeadConduitConfig", "LeadConduitEmulator"),
)

__all__ = ["EMULATOR", "LeadConduitConfig", "LeadConduitEmulator"]
