"""Run the sandbox: in a background thread (tests, demos) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
import time
from typing import Any, Generator

import uvicorn

from ..spec import discover, emulator_spec, make_config
from .app import build_app


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # uvicorn re-raises the captured signal after shutdown, which turns a clean SIGTERM stop into exit -15.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        originals = {s: signal.signal(s, self.handle_exit) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, handler in originals.items():
                signal.signal(s, handler)


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def make_server(app: Any) -> _Server:
    config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2, timeout_keep_alive=30)
    return _Server(config)


def make_emulators(configs: dict[str, Any]) -> dict[str, Any]:
    """crm name -> emulator, for the given configs (None, dict or config instance); none given = every one."""
    names = list(configs) or list(discover())
    return {name: emulator_spec(name).make_emulator(make_config(name, configs.get(name))) for name in names}


class Sandbox:
    """CRM emulators behind one HTTP server, in a background thread.

    `Sandbox(**configs)` serves the emulators named (crm name -> config, dict of fields or None for the
    defaults), or every discovered one when none is named.

    >>> with Sandbox(hubspot=HubSpotConfig(counts={"contacts": 100})) as sb:
    ...     base = sb.hubspot_url  # = sb.url_for("hubspot"), what a client uses as HUBSPOT_BASE_URL
    ...     sb.hubspot.set_faults([])  # = sb.emulator("hubspot")
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **configs: Any) -> None:
        self.host = host
        self.port = port
        self.emulators = make_emulators(configs)
        self.app = build_app(self.emulators)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def emulator(self, crm: str) -> Any:
        if crm not in self.emulators:
            raise KeyError(f"this sandbox serves {sorted(self.emulators)}, not {crm!r}")
        return self.emulators[crm]

    def url_for(self, crm: str) -> str:
        """The base URL of one emulator's API (a client's `<CRM>_BASE_URL`)."""
        self.emulator(crm)
        return f"{self.url}/{crm}"

    def control_url(self, crm: str) -> str:
        self.emulator(crm)
        return f"{self.url}/_sandbox/{crm}"

    def __getattr__(self, name: str) -> Any:
        # `sb.hubspot` and `sb.hubspot_url` for every served emulator.
        emulators = self.__dict__.get("emulators") or {}
        if name in emulators:
            return emulators[name]
        if name.endswith("_url") and name[:-4] in emulators:
            return self.url_for(name[:-4])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def start(self, timeout: float = 30.0) -> Sandbox:
        if self._thread is not None:
            raise RuntimeError("sandbox already started")
        sock = bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        self._server = make_server(self.app)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"sandbox:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("sandbox server failed to start")
            time.sleep(0.005)
        with socket.create_connection((self.host, self.port), timeout=5):
            pass
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._server = None
        self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
