"""HubSpot CRM emulator (API_SHAPES §1): data generator, API routes, faults, rate limits, control API."""

from starlette.routing import Route

from .config import HubSpotConfig
from .emulator import HubSpotEmulator


def mount(emu: HubSpotEmulator) -> tuple[list[Route], list[Route]]:
    """(API routes served under /hubspot, control routes served under /_sandbox/hubspot)."""
    from .control import control_routes
    from .routes import api_routes

    return api_routes(emu), control_routes(emu)


__all__ = ["HubSpotConfig", "HubSpotEmulator", "mount"]
