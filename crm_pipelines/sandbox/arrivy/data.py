"""Arrivy's records as numpy columns: 16-digit ids, modification and schedule times, status histories and
location readings; `render.py` turns them into the API's JSON shapes. HTTP-free."""

from __future__ import annotations

import numpy as np

from ..kit.generate.hashing import below, derive, record_hash, salt
from ..kit.generate.tables import Dataset, Table
from ..kit.generate.timefmt import parse_ms, require_ms
from .config import ArrivyConfig

# Arrivy ids are Google-datastore integers of 16 digits; the upper part of the range is above 2**53, where
# a client that parses JSON numbers as floats silently changes them.
ID_LOW, ID_SPAN = 4_600_000_000_000_000, 5_000_000_000_000_000
SCHEDULED, UNSCHEDULED, NO_DATETIME = 0, 1, 2
STATUS_TYPES = ("NOTSTARTED", "ENROUTE", "STARTED", "COMPLETE", "EXCEPTION", "CANCELLED", "PREPARING",
                "CONFIRMED", "CUSTOM", "RECOMMENDED", "RESCHEDULED", "CUSTOMER_EXCEPTION", "READYFORPICKUP")
# A status history entry's id: derived from its task's position and its own, unique across the account.
STATUS_ID_BASE, STATUSES_PER_TASK_MAX = 5_100_000_000_000_000, 1024
TASK_SETTABLE = {"title", "details", "start_datetime", "unscheduled"}
MINUTE_MS = 60_000


def big_ids(n: int, rng: np.random.Generator) -> np.ndarray:
    """Strictly increasing 16-digit ids spread over the whole range (some above 2**53)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    step = max(2 * ID_SPAN // n, 2)  # mean step ID_SPAN / n
    return ID_LOW + np.cumsum(rng.integers(1, step, n, dtype=np.int64))


class ArrivyData(Dataset):
    def __init__(self, cfg: ArrivyConfig) -> None:
        super().__init__(cfg.seed)
        self.cfg = cfg
        start, end = require_ms(cfg.modified_start, "modified_start"), require_ms(cfg.modified_end, "modified_end")
        for key, n in cfg.counts.items():
            table = Table(key, int(n), cfg.seed, start, end)
            table.ids = big_ids(table.n, np.random.default_rng([cfg.seed, 16, len(key), table.n]))
            self.tables[key] = table
        tasks = self.tables["tasks"]
        rng = np.random.default_rng([cfg.seed, 2])
        lo, hi = require_ms(cfg.schedule_start, "schedule_start"), require_ms(cfg.schedule_end, "schedule_end")
        quarter_hours = rng.integers(0, max((hi - lo) // (15 * MINUTE_MS), 1), tasks.n, dtype=np.int64)
        self.schedule_ms = lo + quarter_hours * 15 * MINUTE_MS
        roll = rng.random(tasks.n)
        self.kind = np.where(roll < cfg.unscheduled_rate, UNSCHEDULED,
                             np.where(roll < cfg.unscheduled_rate + cfg.no_datetime_rate, NO_DATETIME, SCHEDULED)
                             ).astype(np.int8)
        # The modification time the generated history leads up to: later writes append, never rewrite it.
        self.history_end_ms = tasks.modified.copy()
        self.history_len = below(record_hash(tasks.ids, None, salt(f"{cfg.seed}:history")), 7,
                                 cfg.max_statuses_per_task + 1)
        self.added_statuses: dict[int, list[int]] = {}  # task position -> times of statuses added later
        self._readings_us = self._readings(cfg)

    # -- tasks ------------------------------------------------------------------------------------
    def task_selection(self, lo_ms: int | None, hi_ms: int | None, unscheduled: bool, no_datetime: bool,
                       cap: int) -> np.ndarray:
        """Positions of the live tasks a GET /api/tasks returns, in schedule order (then id order):
        scheduled ones with start_datetime in [lo, hi] (both inclusive), plus the flagged kinds."""
        tasks = self.tables["tasks"]
        scheduled = (self.kind == SCHEDULED) & ~tasks.archived
        if lo_ms is not None:
            scheduled &= self.schedule_ms >= lo_ms
        if hi_ms is not None:
            scheduled &= self.schedule_ms <= hi_ms
        picked = np.flatnonzero(scheduled)
        picked = picked[np.lexsort((tasks.ids[picked], self.schedule_ms[picked]))]
        if lo_ms is None and hi_ms is None and cap:
            picked = picked[:cap]
        extra = [np.flatnonzero((self.kind == k) & ~tasks.archived)
                 for k, wanted in ((UNSCHEDULED, unscheduled), (NO_DATETIME, no_datetime)) if wanted]
        return np.concatenate([picked, *extra]) if extra else picked

    def history(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(status ids, times in ms) of task position `i`, oldest first."""
        tasks = self.tables["tasks"]
        n = int(self.history_len[i])
        first, last = int(tasks.created[i]), int(self.history_end_ms[i])
        times = [first + (last - first) * k // max(n - 1, 1) for k in range(n)] + self.added_statuses.get(i, [])
        ids = STATUS_ID_BASE + np.arange(len(times), dtype=np.int64) * 7 + i * STATUSES_PER_TASK_MAX * 7
        return ids, np.array(times, dtype=np.int64)

    def status_hash(self, status_ids: np.ndarray) -> np.ndarray:
        return record_hash(status_ids, None, salt(f"{self.seed}:status"))

    def check_properties(self, key: str, props: object) -> dict[str, str | None]:
        if key != "tasks" or not isinstance(props, dict) or not props:
            raise ValueError(f"'set' takes tasks properties, a non-empty object of {sorted(TASK_SETTABLE)}")
        unknown = set(props) - TASK_SETTABLE
        if unknown:
            raise ValueError(f"unknown task properties {sorted(unknown)}; settable: {sorted(TASK_SETTABLE)}")
        if props.get("start_datetime") is not None and parse_ms(props["start_datetime"]) is None:
            raise ValueError(f"start_datetime: cannot parse {props['start_datetime']!r}")
        if "unscheduled" in props and str(props["unscheduled"]).lower() not in ("true", "false"):
            raise ValueError("unscheduled must be true or false")
        return {k: None if v is None else str(v) for k, v in props.items()}

    def apply(self, key: str, action: str, idx: np.ndarray, properties: dict[str, str | None] | None,
              modified_ms: int) -> None:
        """Arrivy's writes: `touch` on tasks reports a new status (appended to the history), `set` edits
        fields (start_datetime null = no datetime, unscheduled true), `archive` deletes."""
        super().apply(key, action, idx, properties, modified_ms)
        if key != "tasks":
            return
        for i in idx.tolist():
            if action == "touch":
                added = self.added_statuses.setdefault(i, [])
                if self.history_len[i] + len(added) + 1 >= STATUSES_PER_TASK_MAX:
                    raise ValueError("too many statuses for one task")
                added.append(modified_ms)
            if action == "set" and properties:
                if "start_datetime" in properties:
                    when = properties["start_datetime"]
                    self.kind[i] = NO_DATETIME if when is None else SCHEDULED
                    if when is not None:
                        self.schedule_ms[i] = parse_ms(when)
                if str(properties.get("unscheduled")).lower() == "true":
                    self.kind[i] = UNSCHEDULED

    # -- location readings ------------------------------------------------------------------------
    def _readings(self, cfg: ArrivyConfig) -> np.ndarray:
        """Reading times (µs) per entity, ascending and distinct: (entities, readings_per_entity)."""
        n, k = self.tables["entities"].n, cfg.readings_per_entity
        lo = require_ms(cfg.readings_start, "readings_start") * 1000
        hi = require_ms(cfg.readings_end, "readings_end") * 1000
        rng = np.random.default_rng([cfg.seed, 3])
        times = np.sort(lo + (rng.random((n, k)) * (hi - lo)).astype(np.int64), axis=1)
        return times + np.arange(k, dtype=np.int64)[None, :]  # distinct even if two draws collide

    def readings_of(self, entity_pos: int, after_us: int | None) -> np.ndarray:
        times = self._readings_us[entity_pos]
        return times if after_us is None else times[times > after_us]

    def reading_hash(self, entity_id: int, times_us: np.ndarray) -> np.ndarray:
        return derive(record_hash(times_us, None, salt(f"{self.seed}:reading")), np.uint64(entity_id))
