"""A force's workstations against the core server, with locust (issue 14): how many
workstations 1 and 2 workers hold on PostgreSQL with p95 < 100 ms and no errors, and the
ratio between them. Not part of `make test`; run by `make bench` or by hand:

    python bench/force_load.py [--steps 40,80,160,320] [--step-seconds 30] [--speed 10]

The mix, per workstation, in proportion to a force (wait times are real ones divided by
`--speed`, so one simulated user stands for `--speed` workstations; a workstation's board
poll every 15 s becomes every 1.5 s at speed 10):
- custody suite (30%): the board every 15 s with its ETag (mostly 304), a record now and then;
- front counter (30%): a walk-in report every 5 min, incident searches every 60 s;
- detectives (25%): case-file list and report reads every 30 s;
- person searches (15%): POST /people/search every 60 s;
- everyone: reference sync every 5 min with If-None-Match (304 when nothing changed).

The database is a fresh PostgreSQL schema, migrated and demo-seeded, with 20,000 invented
reports; the server is `station-server serve --workers N` in its own process; locust runs
in this process (gevent), sharing the machine's cores with the server: say so when quoting.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gevent import monkey

monkey.patch_all()

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402
from locust import FastHttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.incidents_list import postgres_url, rows  # noqa: E402
from station_app.server.auth.store import issue_token  # noqa: E402
from station_app.server.core.db import make_engine, make_session_factory  # noqa: E402
from station_app.server.core.identity import User  # noqa: E402
from station_app.server.incidents.models import Incident  # noqa: E402
from station_app.server.seed import seed_demo  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0
SPEED = 10.0
TOKENS: dict[str, list[str]] = {}
REFERENCES: list[str] = []
CUSTODY_RECORDS: list[int] = []


def _wait(seconds: float) -> Any:
    return between(seconds * 0.5 / SPEED, seconds * 1.5 / SPEED)


class Workstation(FastHttpUser):
    """A workstation. FastHttpUser (geventhttpclient), not HttpUser (requests): it spends a
    fifth of the CPU per request, and locust shares this machine's cores with the server."""

    abstract = True
    role = ""

    def on_start(self) -> None:
        token = random.choice(TOKENS[self.role])
        self.auth = {
            "Authorization": f"Bearer {token}",
            "X-Station-Workstation": f"LOAD-{id(self)}",
        }
        self.etags: dict[str, str] = {}

    def conditional_get(self, path: str, name: str, **params: Any) -> None:
        headers = {
            **self.auth,
            **({"If-None-Match": self.etags[path]} if path in self.etags else {}),
        }
        with self.client.get(
            path, params=params, headers=headers, name=name, catch_response=True
        ) as answer:
            if answer.status_code in (200, 304):
                self.etags[path] = answer.headers.get("ETag", self.etags.get(path, ""))
                answer.success()
            else:
                answer.failure(f"{answer.status_code}")

    @task(1)
    def reference_sync(self) -> None:
        self.conditional_get("/api/v1/reference", "reference sync")


class CustodySuite(Workstation):
    weight = 30
    role = "custody"
    wait_time = _wait(15)

    @task(20)
    def board(self) -> None:
        self.conditional_get("/api/v1/custody/board", "custody board", station="SW")

    @task(1)
    def record(self) -> None:
        self.client.get(
            f"/api/v1/custody/records/{random.choice(CUSTODY_RECORDS)}",
            headers=self.auth,
            name="custody record",
        )


class FrontCounter(Workstation):
    weight = 30
    role = "frontdesk"
    wait_time = _wait(50)

    @task(1)
    def report(self) -> None:
        body = {
            "reporter": {
                "name": "Wilhelmina Ashgrove",
                "date_of_birth": "1979-04-18",
                "address": "22 Thimble Court, London",
                "postcode": "SE1 9QX",
            },
            "offence_code": "DMTH003",
            "location_address": "Thimble Court bike racks",
            "location_postcode": "SE17 3ZZ",
            "account": "My red bicycle was taken from the racks overnight.",
        }
        self.client.post(
            "/api/v1/incidents",
            json=body,
            headers={**self.auth, "Idempotency-Key": uuid.uuid4().hex},
            name="create report",
        )

    @task(5)
    def search(self) -> None:
        text_typed = random.choice(["ashgrove", "bicycle", "se17", "cobblewick", "theft shop"])
        self.client.get(
            "/api/v1/incidents", params={"q": text_typed}, headers=self.auth, name="search reports"
        )


class Detective(Workstation):
    weight = 25
    role = "detective"
    wait_time = _wait(30)

    @task(1)
    def cases(self) -> None:
        self.client.get("/api/v1/casefiles", headers=self.auth, name="case files")

    @task(3)
    def read(self) -> None:
        self.client.get(
            f"/api/v1/incidents/{random.choice(REFERENCES)}", headers=self.auth, name="read report"
        )


class PersonSearch(Workstation):
    weight = 15
    role = "frontdesk"
    wait_time = _wait(60)

    @task
    def person(self) -> None:
        surname = random.choice(["Ashgrove", "Birchwick", "Cobbleford", "Smith", "Okafor"])
        self.client.post(
            "/api/v1/people/search",
            json={"surname": surname},
            headers=self.auth,
            name="person search",
        )


def _invented_reports(engine: Any, count: int) -> None:
    """bench/incidents_list.py's invented reports, numbered from 5,000,001 (clear of the
    demo's and of those the load makes) and given ids by the database."""
    statement = insert(Incident.__table__)  # type: ignore[arg-type]
    batch: list[dict[str, Any]] = []
    for row in rows(count, datetime.now(UTC)):
        serial = row.pop("id") + 5_000_000
        station, year, _old = row["reference"].split("-")
        row["reference"] = f"{station}-{year}-{serial:07d}"
        batch.append(row)
        if len(batch) == 5000:
            with engine.begin() as connection:
                connection.execute(statement, batch)
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(statement, batch)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def prepare(url: str, reports: int) -> None:
    """Demo data, `reports` invented reports, people in custody at SW, and tokens."""
    engine = make_engine(url)
    from station_app.server.core.db import migrate_engine

    migrate_engine(engine)
    with make_session_factory(engine)() as session:
        seed_demo(session)
    _invented_reports(engine, reports)
    with make_session_factory(engine)() as session:
        for username in ("custody", "frontdesk", "detective"):
            user = session.scalars(select(User).where(User.username == username)).one()
            TOKENS[username] = [issue_token(session, user, hours=12)[0] for _ in range(20)]
        session.commit()
        REFERENCES.extend(
            session.execute(
                text(
                    "SELECT reference FROM incident WHERE station_code = 'SW' "
                    "ORDER BY id DESC LIMIT 2000"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()


def book_some(base: str, count: int) -> None:
    import requests

    headers = {"Authorization": f"Bearer {TOKENS['custody'][0]}"}
    now = datetime.now(UTC)
    for n in range(count):
        body = {
            "station_code": "SW",
            "person": {
                "surname": f"Loadperson{n}",
                "forenames": "Alex",
                "date_of_birth": "1990-01-02",
            },
            "offences": ["DMTH005"],
            "arrested_at": (now - timedelta(hours=2)).isoformat(),
            "arrived_at": (now - timedelta(hours=1)).isoformat(),
        }
        answer = requests.post(
            f"{base}/api/v1/custody/records", json=body, headers=headers, timeout=30
        )
        answer.raise_for_status()
        CUSTODY_RECORDS.append(answer.json()["id"])


def serve(url: str, workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    ready = folder / f"ready-{workers}.json"
    log = (folder / f"server-{workers}.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station_app.server",
            "serve",
            "--port",
            "0",
            "--workers",
            str(workers),
            "--database-url",
            url,
            "--ready-file",
            str(ready),
            "--watch-stdin",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start; see {folder}")
        time.sleep(0.1)
    import json

    return process, json.loads(ready.read_text())["url"]


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server; one past its limit may still be working through a backlog that a
    graceful stop would wait for, so it is then terminated, and killed at the last."""
    assert process.stdin is not None
    process.stdin.close()
    try:
        process.wait(timeout=20)
        return
    except subprocess.TimeoutExpired:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _busy_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """Each process's CPU seconds so far, by process id."""
    busy = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended meanwhile
            continue
        busy[process.pid] = times.user + times.system
    return busy


def cpu_seconds(server_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far, by process: the server (its supervisor and workers), this process
    (locust) and PostgreSQL's processes; and the whole machine's time given to other
    virtual machines (steal) and all it spent busy (neither idle nor waiting for disk)."""
    try:
        root = psutil.Process(server_pid)
        server = [root, *root.children(recursive=True)]
    except psutil.Error:
        server = []
    postgres = [p for p in psutil.process_iter(["username"]) if p.info["username"] == "postgres"]
    machine = psutil.cpu_times()
    return {
        "server": _busy_seconds(server),
        "locust": _busy_seconds([psutil.Process()]),
        "PostgreSQL": _busy_seconds(postgres),
        "steal": {0: getattr(machine, "steal", 0.0)},
        "machine": {0: sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)},
    }


def cores_used(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], seconds: float
) -> dict[str, float]:
    """Cores each used between the two readings (a process that began meanwhile counts
    whole; one that ended meanwhile is left out)."""
    return {
        name: sum(busy - before[name].get(pid, 0.0) for pid, busy in after[name].items()) / seconds
        for name in after
    }


def run_step(
    base: str, users: int, seconds: float, server_pid: int
) -> tuple[float, int, int, float]:
    """(p95 ms, requests, failures, requests per second) at `users` simulated users. Prints
    the cores the server, locust and PostgreSQL used meanwhile: what a second worker can
    have of a machine they share."""
    env = Environment(user_classes=[CustodySuite, FrontCounter, Detective, PersonSearch], host=base)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(10, users / 5))
    time.sleep(min(10.0, seconds / 3))  # ramp up, then measure from a clean slate
    env.stats.reset_all()
    before = cpu_seconds(server_pid)
    time.sleep(seconds)
    after = cpu_seconds(server_pid)
    cores = cores_used(before, after, seconds)
    named = ("server", "locust", "PostgreSQL", "steal")
    others = cores["machine"] - sum(cores[name] for name in named)
    print(
        f"    cores used (of {os.cpu_count()}): server {cores['server']:.2f}, locust "
        f"{cores['locust']:.2f}, PostgreSQL {cores['PostgreSQL']:.2f}, other virtual "
        f"machines (steal) {cores['steal']:.2f}, the rest {max(0.0, others):.2f}"
    )
    total = env.stats.total
    figures = (
        float(total.get_response_time_percentile(0.95) or 0),
        int(total.num_requests),
        int(total.num_failures),
        float(total.num_requests / seconds),
    )
    slowest = sorted(
        env.stats.entries.values(),
        key=lambda entry: entry.get_response_time_percentile(0.95) or 0,
        reverse=True,
    )[:3]
    print(
        "    slowest p95: "
        + ", ".join(
            f"{entry.name} {entry.get_response_time_percentile(0.95):.0f} ms" for entry in slowest
        )
    )
    for error in list(env.stats.errors.values())[:5]:
        print(f"    error: {error.method} {error.name}: {error.error} x{error.occurrences}")
    runner.quit()
    return figures


def held(results: list[tuple[int, float, int, int, float]]) -> int:
    """The most workstations of a run held with p95 < target and no errors."""
    best = 0
    for users, p95, _requests, failures, _rate in results:
        if p95 < TARGET_P95_MS and failures == 0:
            best = max(best, round(users * SPEED))
    return best


def main() -> None:
    global SPEED
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", default="40,80,160,320")
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--speed", type=float, default=SPEED)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    SPEED = args.speed
    url = postgres_url()
    if url is None:
        return
    schema = f"bench_force_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    scoped_url = scoped.render_as_string(hide_password=False)
    summary: dict[int, int] = {}
    try:
        prepare(scoped_url, args.reports)
        with tempfile.TemporaryDirectory() as folder:
            for workers in (int(w) for w in args.workers.split(",")):
                process, base = serve(scoped_url, workers, Path(folder))
                try:
                    if not CUSTODY_RECORDS:
                        book_some(base, 40)
                    print(
                        f"\n{workers} worker(s), PostgreSQL, {os.cpu_count()} cores shared "
                        f"with locust; 1 user = {SPEED:g} workstations"
                    )
                    results = []
                    for users in (int(u) for u in args.steps.split(",")):
                        p95, count, failures, rate = run_step(
                            base, users, args.step_seconds, process.pid
                        )
                        results.append((users, p95, count, failures, rate))
                        print(
                            f"  {round(users * SPEED):>6} workstations: p95 {p95:6.0f} ms, "
                            f"{rate:6.1f} req/s, {count} requests, {failures} errors"
                        )
                        if p95 > 4 * TARGET_P95_MS:
                            break  # far past it: the next step says nothing new
                    summary[workers] = held(results)
                finally:
                    stop(process)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print("\nWorkstations held at p95 < 100 ms with 0 errors:")
    for workers, count in summary.items():
        print(f"  {workers} worker(s): {count}")
    if summary.get(1) and summary.get(2):
        print(f"  ratio 2 workers / 1 worker: {summary[2] / summary[1]:.2f}x (goal >= 1.6x)")


if __name__ == "__main__":
    main()
