"""Acme CRM emulator: one REST list endpoint, API-key auth (the sandbox README's skeleton)."""

from dataclasses import dataclass, field

import numpy as np

from crm_pipelines.sandbox.kit import Emulator, EmulatorConfig, EmulatorSpec, FaultVocabulary
from crm_pipelines.sandbox.kit.generate import pooled
from crm_pipelines.sandbox.kit.generate.batch import Batch
from crm_pipelines.sandbox.kit.generate.hashing import below
from crm_pipelines.sandbox.kit.generate.tables import Dataset, Table
from crm_pipelines.sandbox.kit.generate.timefmt import iso_ms, require_ms


@dataclass
class AcmeConfig(EmulatorConfig):
    api_key: str = "acme-key"
    counts: dict[str, int] = field(default_factory=lambda: {"customers": 120})
    modified_start: str = "2026-10-01T00:00:00Z"
    modified_end: str = "2026-11-01T00:00:00Z"


class AcmeData(Dataset):
    def __init__(self, cfg: AcmeConfig) -> None:
        super().__init__(cfg.seed)
        start, end = require_ms(cfg.modified_start, "modified_start"), require_ms(cfg.modified_end, "modified_end")
        for key, n in cfg.counts.items():
            self.tables[key] = Table(key, n, cfg.seed, start, end, archived_rate=0.05)

    def records(self, key: str, idx: np.ndarray) -> list[dict]:
        b = Batch(self.tables[key], idx)
        first, last, email = pooled.persons(0.02)  # (name, matching email) pools, 2 % invalid emails
        who = b.person()
        tier = below(b.h("tier"), 3, 3)  # a hash per record and name; a "touch" mutation changes it
        return [{"id": i, "name": f"{f} {s}", "email": e, "tier": ["bronze", "silver", "gold"][t], "updated": u}
                for i, f, s, e, t, u in zip(b.ids.tolist(), first[who], last[who], email[who], tier.tolist(),
                                            iso_ms(b.modified))]


class AcmeEmulator(Emulator):
    config_class = AcmeConfig
    faults_vocabulary = FaultVocabulary(routes=frozenset({"list"}), statuses=frozenset({429, 500, 503}),
                                        short_page_routes=frozenset({"list"}))

    def make_data(self, cfg: AcmeConfig) -> AcmeData:
        return AcmeData(cfg)

    def render_truth(self, table: Table, idx: np.ndarray) -> list[dict]:
        return self.data.records(table.key, idx)


def mount(emu: AcmeEmulator) -> list:
    from starlette.routing import Route

    from crm_pipelines.sandbox.kit.http.pipeline import ApiEndpoint, Dialect, json_response
    from crm_pipelines.sandbox.kit.errors import ApiError

    class AcmeDialect(Dialect):
        def authenticate(self, emu, request, cfg, headers):
            if request.headers.get("x-api-key") == cfg.api_key:
                return None
            return json_response(401, {"error": "bad api key"}, headers)

    def list_records(emu, req):
        key = req.path_params["object_type"]
        if key not in emu.data.tables:
            raise ApiError(404, f"no such collection {key}")
        table = emu.data.tables[key]
        start = int(req.query.get("offset") or 0)
        idx, more = table.scan(start, 25 if req.short_page is None else req.short_page, archived=False)
        nxt = int(idx[-1]) + 1 if len(idx) else start
        return 200, {"results": emu.data.records(key, idx), "next_offset": nxt if more else None}

    return [Route("/v1/{object_type}", ApiEndpoint(emu, AcmeDialect(), "list", list_records), methods=["GET"])]


EMULATOR = EmulatorSpec(name="acme", config_class=AcmeConfig, make_emulator=AcmeEmulator, mount=mount,
                        summary="Acme CRM (test skeleton)", exports=("AcmeConfig",))
