"""SalesPro (Leap) emulator: an Athena stand-in (AWS JSON 1.1, queries run by DuckDB) and the offices/users
CSV exports written to a folder; see README.md."""

from ..kit.spec import EmulatorSpec
from .config import SalesProConfig
from .emulator import SalesProEmulator


def mount(emu: SalesProEmulator) -> list:
    """The API routes served under /salespro (imports starlette, hence only when serving)."""
    from .routes import api_routes

    return api_routes(emu)


EMULATOR = EmulatorSpec(
    name="salespro",
    config_class=SalesProConfig,
    make_emulator=SalesProEmulator,
    mount=mount,
    summary="SalesPro via Athena: POST / with X-Amz-Target AmazonAthena.{Start,Get,Stop}QueryExecution, "
            "GetQueryResults (DuckDB); offices/users CSV exports in a folder",
    exports=("SalesProConfig", "SalesProEmulator"),
)

__all__ = ["EMULATOR", "SalesProConfig", "SalesProEmulator"]
