"""Which MySQL driver reads Genius fastest: each one streams the same wide MariaDB table by keyset pages
on the primary key (the way the Genius client reads), in a process of its own, and reports rows/s and peak
RSS. One JSON line per driver.

    .venv/bin/python benchmarks/genius_driver_choice.py --rows 200000 [--page 10000]

MariaDB on 127.0.0.1:3306 (root, no password) or GENIUS_BENCH_MYSQL (host:port). MariaDB Connector/Python
(`mariadb`) needs the MariaDB C client library's headers to build; when it is not installed it is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

HOST, PORT = (os.environ.get("GENIUS_BENCH_MYSQL") or "127.0.0.1:3306").split(":")
DATABASE = "genius_bench_drivers"
# ~40 columns of the types Genius has: integers, TINYINT(1), DECIMAL, VARCHAR, TEXT, DATE, DATETIME, TIME.
COLUMNS = [
    *(f"i{n} INT NULL" for n in range(8)), *(f"f{n} TINYINT(1) NOT NULL" for n in range(4)),
    *(f"d{n} DECIMAL(11,2) NULL" for n in range(5)), *(f"s{n} VARCHAR(100) NULL" for n in range(10)),
    "notes TEXT NULL", *(f"dt{n} DATETIME NULL" for n in range(5)), *(f"day{n} DATE NULL" for n in range(4)),
    "duration TIME NULL", "updated_at DATETIME NOT NULL",
]
FILL = [
    *(f"seq * {n + 3} % 100000" for n in range(8)), *(f"seq % {n + 2} = 0" for n in range(4)),
    *(f"(seq % 99991) / 7.0 + {n}" for n in range(5)), *(f"CONCAT('value ', seq, ' {n} ✓')" for n in range(10)),
    "REPEAT('note 😀 ', seq % 20)", *(f"'2024-01-01' + INTERVAL (seq * {n + 1}) MINUTE" for n in range(5)),
    *(f"'2020-01-01' + INTERVAL (seq % 2000) DAY" for _ in range(4)), "SEC_TO_TIME(seq % 360000)",
    "'2024-06-01' + INTERVAL (seq DIV 50) SECOND",
]


def build(rows: int) -> None:
    import pymysql

    conn = pymysql.connect(host=HOST, port=int(PORT), user="root", charset="utf8mb4", autocommit=True)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        cur.execute(f"USE {DATABASE}")
        cur.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = %s AND table_name = 'wide'",
                    (DATABASE,))
        if cur.fetchone()[0]:
            cur.execute("SELECT COUNT(*) FROM wide")
            if cur.fetchone()[0] == rows:
                return
            cur.execute("DROP TABLE wide")
        cur.execute(f"CREATE TABLE wide (id INT PRIMARY KEY, {', '.join(COLUMNS)}) ENGINE=InnoDB")
        names = ", ".join(c.split()[0] for c in COLUMNS)
        cur.execute(f"INSERT INTO wide (id, {names}) SELECT seq, {', '.join(FILL)} FROM seq_1_to_{rows}")
    conn.close()


def read(driver: str, page: int) -> dict:
    sql = f"SELECT * FROM wide WHERE id > %s ORDER BY id LIMIT {page}"
    started = time.perf_counter()
    count, last = 0, 0
    if driver == "connectorx":
        import connectorx as cx

        url = f"mysql://root@{HOST}:{PORT}/{DATABASE}"
        while True:
            table = cx.read_sql(url, sql.replace("%s", str(last)), return_type="arrow")
            if table.num_rows == 0:
                break
            rows = table.to_pylist()  # the processors take Python values, as every other driver gives
            count += len(rows)
            last = rows[-1]["id"]
    else:
        conn = _connect(driver)
        cur = conn.cursor()
        while True:
            cur.execute(sql, (last,))
            rows = cur.fetchall()
            if not rows:
                break
            count += len(rows)
            last = rows[-1][0]
        conn.close()
    seconds = time.perf_counter() - started
    return {"driver": driver, "rows": count, "seconds": round(seconds, 2), "rows_per_s": round(count / seconds),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _connect(driver: str):
    if driver == "pymysql":
        import pymysql

        return pymysql.connect(host=HOST, port=int(PORT), user="root", database=DATABASE, charset="utf8mb4")
    if driver == "mysql-connector-c":
        import mysql.connector

        return mysql.connector.connect(host=HOST, port=int(PORT), user="root", database=DATABASE,
                                       charset="utf8mb4", use_pure=False)
    if driver == "mysql-connector-pure":
        import mysql.connector

        return mysql.connector.connect(host=HOST, port=int(PORT), user="root", database=DATABASE,
                                       charset="utf8mb4", use_pure=True)
    if driver == "mariadb":
        import mariadb

        return mariadb.connect(host=HOST, port=int(PORT), user="root", database=DATABASE)
    raise ValueError(driver)


DRIVERS = ["pymysql", "mysql-connector-c", "mysql-connector-pure", "connectorx", "mariadb"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--page", type=int, default=10_000)
    parser.add_argument("--driver", choices=DRIVERS)
    args = parser.parse_args()
    if args.driver:
        print(json.dumps(read(args.driver, args.page)))
        return
    build(args.rows)
    for driver in DRIVERS:
        load = os.getloadavg()[0]
        out = subprocess.run([sys.executable, __file__, "--driver", driver, "--page", str(args.page)],
                             capture_output=True, text=True)
        if out.returncode:
            line = {"driver": driver, "skipped": out.stderr.strip().splitlines()[-1][:160]}
        else:
            line = json.loads(out.stdout)
        line["load_avg_1m"] = round(load, 2)
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
