"""MarketSharp emulator: the OData v2 service (`GET /WcfDataService.svc/<EntitySet>`, Atom XML); see README.md."""

from ..kit.spec import EmulatorSpec
from .config import MarketSharpConfig
from .emulator import MarketSharpEmulator


def mount(emu: MarketSharpEmulator) -> list:
    """The API routes served under /marketsharp (imports starlette, hence only when serving)."""
    from .routes import api_routes

    return api_routes(emu)


EMULATOR = EmulatorSpec(
    name="marketsharp",
    config_class=MarketSharpConfig,
    make_emulator=MarketSharpEmulator,
    mount=mount,
    summary="MarketSharp OData v2: GET /WcfDataService.svc/<EntitySet> (Atom, HMAC auth, $filter/$orderby/$top/"
            "$skip, rel=next $skiptoken)",
    exports=("MarketSharpConfig", "MarketSharpEmulator"),
)

__all__ = ["EMULATOR", "MarketSharpConfig", "MarketSharpEmulator"]
