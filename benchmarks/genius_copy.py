"""Genius copy end to end through Dagster: a MariaDB `appointment` table (32 columns with the HubSpot join:
integers, TINYINT(1) flags, DATETIME/DATE/TIME, VARCHAR/TEXT with emoji) -> client (mysql-connector C
extension, keyset pages on the key) -> processing -> PostgreSQL, as a full refresh of `genius/appointments`.
Prints one JSON line (rows/s, peak RSS). The source table is built in SQL on the server (MariaDB's sequence
engine), so building 1M rows takes seconds, not the benchmark's own time.

    .venv/bin/python benchmarks/genius_copy.py [--rows 1000000] [--page-size 10000] [--batch-size 20000]

MariaDB on 127.0.0.1:3306 (root, no password), or GENIUS_BENCH_MYSQL=host:port.
"""

from __future__ import annotations

import argparse
import os
import re
import time

from _common import CpuMeter, emit, scratch_database
from dagster import materialize

from crm_pipelines.core.assets import history_partitions
from crm_pipelines.core.report import peak_rss_mb
from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines.sandbox.genius import data, database
from crm_pipelines.sources.genius import SOURCE
from crm_pipelines.sources.genius.resource import GeniusResource

HOST, PORT = (os.environ.get("GENIUS_BENCH_MYSQL") or "127.0.0.1:3306").split(":")
DATABASE = "genius_bench_copy"


def fill(column: data.ColumnDef) -> str:
    """A SQL expression of `seq` for one column, by its MySQL type (every row different, some NULLs)."""
    name, kind = column.name, column.mysql_type
    if name == "id":
        return "seq"
    if name == "third_party_source_id":
        return "IF(seq % 3 = 0, NULL, seq % 2000 + 1)"
    if kind == "TINYINT(1)":
        return "seq % 2"
    if re.fullmatch(r"(SMALL|BIG)?INT( UNSIGNED)?", kind):
        return "seq % 30000"
    if kind.startswith("DECIMAL"):
        return "(seq % 99991) / 100"
    if kind == "TEXT":
        # Mostly plain notes; one in ten with a tab and an emoji (JSON escapes, 4-byte UTF-8).
        return "IF(seq % 5 = 0, NULL, IF(seq % 10 = 1, CONCAT('note ', seq, ' tab\\there 😀'), CONCAT('note ', seq)))"
    if name == "email":
        return "CONCAT('Person.', seq, '@Example.com')"
    if kind.startswith("VARCHAR"):
        width = int(re.findall(r"\d+", kind)[0])
        return f"LEFT(CONCAT('v', seq % 9973, ' Zoë'), {width})"
    if kind == "DATETIME":
        return "'2024-01-01' + INTERVAL (seq * 7) SECOND"
    if kind == "DATE":
        return "'2020-01-01' + INTERVAL (seq % 2000) DAY"
    if kind == "TIME":
        # Appointments start on quarter hours and last whole quarter hours (up to 100 h), as real ones do.
        return ("SEC_TO_TIME(900 * (seq % 96))" if name == "time" else "SEC_TO_TIME(900 * (1 + seq % 400))")
    raise ValueError(f"{name}: {kind}")


def build(rows: int) -> None:
    conn = database.connect(HOST, int(PORT))
    cur = conn.cursor()
    cur.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = 'appointment'",
                (DATABASE,))
    if cur.fetchone()[0]:
        cur.execute(f"SELECT COUNT(*) FROM `{DATABASE}`.appointment")
        if cur.fetchone()[0] == rows:
            return
    database.create_database(conn, DATABASE)
    small = data.generate(seed=3, sizes=data.Sizes(prospects=5, shared_second_leads=1))
    for table in ("third_party_source_type",):
        database.insert_rows(conn, table, small.rows[table])
    cur.execute(f"INSERT INTO `{DATABASE}`.third_party_source SELECT seq, 1 + seq % 3, CAST(9000000000 + seq AS CHAR) "
                "FROM seq_1_to_2000")
    columns = data.COLUMNS["appointment"]
    names = ", ".join(f"`{c.name}`" for c in columns)
    cur.execute(f"INSERT INTO `{DATABASE}`.appointment ({names}) SELECT {', '.join(fill(c) for c in columns)} "
                f"FROM seq_1_to_{rows}")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--page-size", type=int, default=2_500)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the entity's own (2,500)")
    args = parser.parse_args()

    started = time.perf_counter()
    build(args.rows)
    build_s = time.perf_counter() - started
    asset = SOURCE.entity_assets(history_partitions())["appointments"]
    client = GeniusResource(database_url=f"mysql://root@{HOST}:{PORT}/{DATABASE}", page_size=args.page_size)
    with scratch_database("genius") as url:
        with CpuMeter(url) as meter:
            started = time.perf_counter()
            result = materialize([asset], resources={"genius": client, "warehouse": Warehouse(url=url)},
                                 partition_key="2024-01-01",
                                 run_config={"ops": {"genius__appointments": {"config": {
                                     "full_refresh": True,
                                     **({"batch_size": args.batch_size} if args.batch_size else {})}}}})
            wall = time.perf_counter() - started
    meta = {k: v.value for k, v in result.asset_materializations_for_node("genius__appointments")[0].metadata.items()}
    emit({"benchmark": "genius_copy", "table": "appointment", "columns": len(data.COLUMNS["appointment"]) + 1,
          "rows": args.rows, "records_fetched": meta["records_fetched"], "records_created": meta["records_created"],
          "records_with_issues": meta["records_with_issues"], "duration_s": meta["duration_s"],
          "rows_per_s": meta["records_per_s"], "wall_s": round(wall, 2), "queries": meta["api_calls"],
          "peak_rss_mb": meta["peak_rss_mb"], "process_peak_rss_mb": peak_rss_mb(), "build_s": round(build_s, 1),
          **meter.report()})


if __name__ == "__main__":
    main()
