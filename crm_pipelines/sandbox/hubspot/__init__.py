"""HubSpot CRM emulator (API_SHAPES §1): objects, search, owners, v4 associations; see sandbox/README.md."""

from ..kit.spec import EmulatorSpec
from .config import HubSpotConfig
from .emulator import HubSpotEmulator


def mount(emu: HubSpotEmulator) -> list:
    """The API routes served under /hubspot (imports starlette, hence only when serving)."""
    from .routes import api_routes

    return api_routes(emu)


EMULATOR = EmulatorSpec(
    name="hubspot",
    config_class=HubSpotConfig,
    make_emulator=HubSpotEmulator,
    mount=mount,
    summary="HubSpot CRM v3/v4: objects list/get/batch read/search, owners, association batch reads",
    exports=("HubSpotConfig", "HubSpotEmulator"),
)

__all__ = ["EMULATOR", "HubSpotConfig", "HubSpotEmulator"]
