"""The ``sitroom`` command: a thin layer over the library. Exit codes are listed in docs/cli.md."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import ConfigError, SitroomError
from .model import DOCUMENT_KINDS

if TYPE_CHECKING:
    from .analyse import ground
    from .extract.llm import ExtractorLike
    from .link import Corpus
    from .store import Store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sitroom — who claims what, with what certainty, across sources and over time.",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


class _State:
    db: str | None = None
    debug: bool = False


state = _State()


def _fail(exc: SitroomError) -> None:
    if state.debug:
        raise exc
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(exc.exit_code)


def _parse_when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(ConfigError(f"{option} {value!r} is not a date", hint="use YYYY-MM-DD or YYYY-MM-DDTHH:MM"))
        raise  # unreachable: _fail exits
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _open_store() -> Store:
    from .store import Store

    return Store.open(state.db)


ExtractorOpt = Annotated[
    str | None,
    typer.Option("--extractor", help="rules (default) or llm (an OpenAI-compatible endpoint; see docs/llm.md)."),
]


def _build_extractor(name: str | None) -> ExtractorLike:
    from .config import load_settings
    from .extract.llm import build_extractor

    settings = load_settings()
    if name is not None:
        settings = settings.with_extractor(name)
    return build_extractor(settings)


def _print_warnings(extractor: object) -> None:
    for line in getattr(extractor, "last_warnings", []) or []:
        err.print(f"[yellow]warning:[/yellow] {line}", markup=True, highlight=False, soft_wrap=True)


@app.callback()
def main_options(
    db: Annotated[
        str | None, typer.Option("--db", help="Database path or URL (default: $SITROOM_DB, else the user data dir).")
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    state.db = db
    state.debug = debug
    if version:
        out.print(f"sitroom {__version__}")
        raise typer.Exit(0)


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders (recursively) or http(s) URLs.")],
    source: Annotated[str | None, typer.Option(help="Source name for every input (overrides the file's).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD[THH:MM].")] = None,
    kind: Annotated[str | None, typer.Option(help=f"Document kind: {', '.join(DOCUMENT_KINDS)}.")] = None,
    author: Annotated[str | None, typer.Option(help="Author or speaker for every input.")] = None,
    extractor_name: ExtractorOpt = None,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Do not update the stored claim groups (run `sitroom link` later).")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", help="Read with N threads and extract in N processes (default 1).")
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option("--dask", help="Extract on the Dask cluster at this scheduler address (local:N: a local one)."),
    ] = None,
) -> None:
    """Read inputs, extract their facts and store them. Re-running is idempotent."""
    from .batch import BatchOptions
    from .ingest import IngestOptions, expand_targets
    from .jobs import ingest as run_ingest

    if kind is not None and kind not in DOCUMENT_KINDS:
        _fail(ConfigError(f"--kind {kind!r} is not a document kind", hint=f"use one of {', '.join(DOCUMENT_KINDS)}"))
    try:
        options = IngestOptions(
            source=source, published=_parse_when(published, "--published"), kind=kind, author=author
        )
        batch = BatchOptions(workers=workers, dask=dask)
        store = _open_store()
        expanded = expand_targets(targets)
        extractor = _build_extractor(extractor_name)
        with Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=len(expanded))

            def advance(target: str, produced: int) -> None:
                progress.update(task, advance=1, description=Path(target).name[:40])

            report = run_ingest(
                expanded,
                store=store,
                extractor=extractor,
                options=options,
                on_item=advance,
                link=not no_link,
                batch=batch,
            )
        store.close()
    except SitroomError as exc:
        _fail(exc)
        return
    for line in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {line}", markup=True, highlight=False, soft_wrap=True)
    for failure in report.failed:
        err.print(f"[red]failed:[/red] {failure.message}", markup=True, highlight=False, soft_wrap=True)
    if report.linked is not None:
        err.print(f"linked: {report.linked.summary()}", highlight=False, soft_wrap=True)
    if report.analysed is not None:
        err.print(report.analysed.summary(), highlight=False, soft_wrap=True)
    out.print(report.summary())
    raise typer.Exit(report.exit_code)


@app.command()
def watch(
    sources: Annotated[
        list[str], typer.Argument(help="Feed URLs, OPML files, or text files with one feed URL a line.")
    ],
    every: Annotated[str, typer.Option("--every", help="How often to poll each feed: 30s, 15m, 1h, 1h30m.")] = "15m",
    max_backoff: Annotated[
        str, typer.Option("--max-backoff", help="The longest wait after failed polls (the backoff's cap).")
    ] = "6h",
    once: Annotated[bool, typer.Option("--once", help="Poll the feeds that are due once, then exit (cron).")] = False,
    extractor_name: ExtractorOpt = None,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Do not update the stored claim groups after a round.")
    ] = False,
) -> None:
    """Poll RSS/Atom feeds with conditional GETs and ingest their new entries; one line per poll."""
    from .ingest.watch import Watcher, WatchOptions, parse_duration, read_sources

    def log(line: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.print(f"{stamp} {line}", markup=False, highlight=False, soft_wrap=True)

    try:
        options = WatchOptions(every=parse_duration(every), max_backoff=parse_duration(max_backoff))
        urls = read_sources(sources)
        store = _open_store()
    except SitroomError as exc:
        _fail(exc)
        return
    code = 0
    previous = signal.getsignal(signal.SIGTERM)
    try:
        watcher = Watcher(
            store, urls, options, make_extractor=lambda: _build_extractor(extractor_name), log=log, link=not no_link
        )
        signal.signal(signal.SIGTERM, lambda *_: watcher.stop())  # systemctl stop: the poll in progress finishes
        code = watcher.run(once=once)
    except KeyboardInterrupt:
        log("stopped")
    except SitroomError as exc:
        _fail(exc)
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.close()
    raise typer.Exit(code)


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="One file (or URL) to read.")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD (resolves 'in February').")] = None,
    source: Annotated[str | None, typer.Option(help="Source name.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the extraction contract as JSON.")] = False,
    extractor_name: ExtractorOpt = None,
) -> None:
    """Extract facts from one input and print them (nothing is stored)."""
    from .ingest import IngestOptions, iter_documents

    try:
        options = IngestOptions(source=source, published=_parse_when(published, "--published"))
        items = list(iter_documents([path], options))
        item = items[0]
        if item.error is not None:
            raise item.error
        extractor = _build_extractor(extractor_name)
        results = []
        for doc in item.documents:
            results.append(extractor.extract(doc).to_contract())
            _print_warnings(extractor)
    except SitroomError as exc:
        _fail(exc)
        return
    payload = results[0] if len(results) == 1 else results
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    for result in results:
        _print_extraction(result)


def _print_extraction(result: dict[str, Any]) -> None:
    doc = result["document"]
    out.print(f"[bold]{doc.get('title') or doc['id']}[/bold]  {doc.get('source') or ''} {doc.get('published') or ''}")
    for kind in ("attributions", "places", "provisions", "stances", "predictions", "quantities"):
        rows = result[kind]
        if not rows:
            continue
        table = Table(title=f"{kind} ({len(rows)})", show_lines=False, title_justify="left")
        keys = [k for k in rows[0] if k not in ("start", "end", "speaker_start", "speaker_end", "parent")][:5]
        for key in keys:
            table.add_column(key, overflow="fold")
        for row in rows:
            table.add_row(*[str(row.get(k, ""))[:80] for k in keys])
        out.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (full-text).")],
    limit: Annotated[int, typer.Option(help="Most results to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search over stored documents, with snippets and sources."""
    try:
        store = _open_store()
        hits = store.search(query, limit=limit)
        store.close()
    except SitroomError as exc:
        _fail(exc)
        return
    if as_json:
        rows = [
            {
                "document_id": h.document_id,
                "title": h.title,
                "source": h.source,
                "published": h.published.isoformat() if h.published else None,
                "snippet": h.snippet,
            }
            for h in hits
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        out.print("no matches")
        return
    for h in hits:
        when = h.published.date().isoformat() if h.published else "undated"
        out.print(
            f"[bold]{h.title or h.document_id}[/bold] — {h.source or 'unknown'}, {when}  [dim]{h.document_id}[/dim]",
            markup=True,
            highlight=False,
        )
        out.print(f"    {h.snippet}", markup=False, highlight=False)


@app.command()
def brief(
    since: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD[THH:MM] (by publication time), or 'last' (since the previous brief).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="md or html.")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
) -> None:
    """A cited brief of what is new, grouped as an analyst writes it."""
    from .present.brief import build_brief, render_markdown
    from .present.html import render_html

    if fmt not in ("md", "html"):
        _fail(ConfigError(f"--format {fmt!r} is not known", hint="use md or html"))
    try:
        store = _open_store()
        now = datetime.now(UTC)
        if since == "last":
            previous = store.last_brief_at()
            result = build_brief(store, ingested_after=previous, now=now)
        else:
            result = build_brief(store, since=_parse_when(since, "--since"), now=now)
        if result.stale:
            err.print(f"note: {result.stale}; analysed the corpus now", markup=False, highlight=False, soft_wrap=True)
        text = render_markdown(result) if fmt == "md" else render_html(result)
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        store.record_brief(now, result.since, fmt, str(output) if output else None)
        store.close()
    except OSError as exc:
        _fail(ConfigError(f"cannot write the brief ({exc.strerror})", input=str(output), hint="check the path"))
        return
    except SitroomError as exc:
        _fail(exc)
        return
    if output is None:
        sys.stdout.write(text)
    else:
        err.print(f"brief written to {output} ({result.documents} documents)")


def _day_option(value: str | None, option: str) -> datetime | None:
    """A date option as the end of that day (``--at 2025-11-30`` includes all of the 30th)."""
    from .link import day_end

    parsed = _parse_when(value, option)
    if parsed is None or value is None or "T" in value:
        return parsed
    return day_end(parsed.date())


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(ConfigError(f"cannot write ({exc.strerror})", input=str(output), hint="check the path"))
    err.print(f"written to {output}")


def _show(
    render: Callable[[Store, Corpus], str], output: Path | None, at: datetime | None = None, *, claims: bool = True
) -> None:
    """Read the store as a linked corpus (up to ``at``; without claims for views that never compare
    them), render a view of it, write it out."""
    from .link import Corpus

    try:
        store = _open_store()
        try:
            text = render(store, Corpus.load(store, until=at, claims=claims))
        finally:
            store.close()
    except SitroomError as exc:
        _fail(exc)
        return
    _emit(text, output)


FormatOpt = Annotated[str, typer.Option("--format", help="md or json.")]
OutputOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")]


JsonOpt = Annotated[bool, typer.Option("--json", help="JSON (the same as --format json).")]
MdOpt = Annotated[bool, typer.Option("--md", help="Markdown (the same as --format md).")]


def _check_format(fmt: str, as_json: bool = False, as_md: bool = False) -> str:
    """The output format: ``--json`` / ``--md`` win over ``--format``; both at once is an error."""
    if as_json and as_md:
        _fail(ConfigError("--json and --md cannot both be given", hint="pick one"))
    if as_json:
        return "json"
    if as_md:
        return "md"
    if fmt not in ("md", "json"):
        _fail(ConfigError(f"--format {fmt!r} is not known", hint="use md or json"))
    return fmt


@app.command()
def claims(
    topic: Annotated[str | None, typer.Option(help="Only groups whose text contains this (case-insensitive).")] = None,
    since: Annotated[str | None, typer.Option(help="Only groups reported (latest report) since YYYY-MM-DD.")] = None,
    min_sources: Annotated[int, typer.Option(help="Only groups with at least this many independent sources.")] = 2,
    fmt: FormatOpt = "md",
    as_json: JsonOpt = False,
    as_md: MdOpt = False,
    output: OutputOpt = None,
) -> None:
    """Statements grouped across sources: who carries each, who was first, how sure."""
    from .link.persist import claim_groups
    from .present.story import stored_claims_md, stored_group_dict, to_json
    from .store import GroupQuery

    fmt = _check_format(fmt, as_json, as_md)
    query = GroupQuery(since=_parse_when(since, "--since"), topic=topic, min_sources=min_sources)
    try:
        store = _open_store()
        try:
            answer = claim_groups(store, query)
        finally:
            store.close()
    except SitroomError as exc:
        _fail(exc)
        return
    if answer.stale is not None:
        note = f"note: {answer.stale}; linked them now (run `sitroom link` to make this fast)"
        err.print(note, markup=False, highlight=False, soft_wrap=True)
    groups = answer.groups
    _emit(to_json([stored_group_dict(g) for g in groups]) if fmt == "json" else stored_claims_md(groups), output)


@app.command()
def link(
    force: Annotated[
        bool, typer.Option("--force", help="Link again even when the stored claim groups are up to date.")
    ] = False,
) -> None:
    """Link every stored claim and store the claim groups and copies (what `claims` and the API read),
    then the analysis snapshot (what `brief`, `places` and `export geojson` read). Results that are
    up to date are kept unless --force."""
    from .analyse.snapshot import link_and_analyse

    try:
        store = _open_store()
        try:
            stats, analysed = link_and_analyse(store, force=force)
        finally:
            store.close()
    except SitroomError as exc:
        _fail(exc)
        return
    out.print(stats.summary() if stats else "claim groups: up to date (--force links again)")
    out.print(analysed.summary() if analysed else "analysis: up to date")


@app.command()
def contradictions(
    since: Annotated[str | None, typer.Option(help="Only those with a report since YYYY-MM-DD.")] = None,
    fmt: FormatOpt = "md",
    as_json: JsonOpt = False,
    as_md: MdOpt = False,
    output: OutputOpt = None,
) -> None:
    """Reports that disagree (control, numbers, stances, denials), side by side."""
    from .analyse.contradictions import find
    from .present.story import contradictions_md, to_json

    fmt = _check_format(fmt, as_json, as_md)
    start = _parse_when(since, "--since")

    def render(store: Store, corpus: Corpus) -> str:
        items = [x for x in find(corpus) if start is None or (x.latest is not None and x.latest >= start)]
        return to_json([x.to_dict() for x in items]) if fmt == "json" else contradictions_md(items)

    _show(render, output)


@app.command()
def plan(
    name: Annotated[
        str | None, typer.Argument(help="Part of the plan's name, e.g. '28-point'. Omit to list plans.")
    ] = None,
    at: Annotated[str | None, typer.Option(help="As reported up to this date (YYYY-MM-DD).")] = None,
    fmt: FormatOpt = "md",
    as_json: JsonOpt = False,
    as_md: MdOpt = False,
    output: OutputOpt = None,
) -> None:
    """A plan: its provisions, versions and what changed, and the stance matrix."""
    from .analyse import plans
    from .present.story import plan_md, to_json

    fmt = _check_format(fmt, as_json, as_md)
    when = _day_option(at, "--at")

    def render(store: Store, corpus: Corpus) -> str:
        if name is None:
            names = plans.plan_names(corpus)
            return to_json(names) if fmt == "json" else "".join(f"- {n}\n" for n in names)
        view = plans.plan(corpus, name, when)
        if not view.versions and not view.matrix:
            raise ConfigError(f"no plan matches {name!r}", input=name, hint="list plans: sitroom plan")
        return to_json(view.to_dict()) if fmt == "json" else plan_md(view)

    _show(render, output, when)


def _place_states(when: datetime | None, reports: int | None) -> list[ground.PlaceState]:
    """The ground as of ``when`` (None: now) with each place's latest ``reports`` reports (None: all):
    read from the stored analysis snapshot when it is fresh and ``when`` is None, else computed
    from the corpus (place facts and copies only) with a note saying why."""
    from .analyse import ground, snapshot
    from .link import Corpus

    store = _open_store()
    try:
        reason = snapshot.stale_reason(store) if when is None else "a date was given"
        if reason is None:
            return snapshot.stored_places(store, reports)
        if when is None:
            err.print(f"note: {reason}; analysed the corpus now", markup=False, highlight=False, soft_wrap=True)
        corpus = Corpus.load(store, until=when, claims=False)
        return [s.latest_reports(reports) for s in ground.places(corpus, when)]
    finally:
        store.close()


ReportsOpt = Annotated[
    int, typer.Option("--reports", help="Reports listed per place in JSON, latest first kept (-1: all).")
]


@app.command()
def places(
    at: Annotated[str | None, typer.Option(help="Control as reported up to this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or md.")] = "json",
    as_json: JsonOpt = False,
    as_md: MdOpt = False,
    reports: ReportsOpt = 20,
    output: OutputOpt = None,
) -> None:
    """Who controls each place, since when, from which sources, and where reports disagree."""
    from .present.story import places_md, to_json

    fmt = _check_format(fmt, as_json, as_md)
    when = _day_option(at, "--at")
    try:
        states = _place_states(when, None if reports < 0 else reports)
    except SitroomError as exc:
        _fail(exc)
        return
    _emit(to_json([s.to_dict() for s in states]) if fmt == "json" else places_md(states), output)


export_app = typer.Typer(no_args_is_help=True, help="Export the store's views to files.")
app.add_typer(export_app, name="export")


@export_app.command("geojson")
def export_geojson(
    output: Annotated[Path, typer.Option("-o", "--output", help="The GeoJSON file to write.")],
    at: Annotated[str | None, typer.Option(help="Control as reported up to this date (YYYY-MM-DD).")] = None,
) -> None:
    """Places with their control status as a GeoJSON FeatureCollection."""
    from .analyse import ground
    from .present.story import to_json

    when = _day_option(at, "--at")
    try:
        states = _place_states(when, 0)
    except SitroomError as exc:
        _fail(exc)
        return
    _emit(to_json(ground.geojson(states)), output)


predictions_app = typer.Typer(
    help="The predictions ledger (list with no subcommand; resolve ID true|false|void).", invoke_without_command=True
)
app.add_typer(predictions_app, name="predictions")


@predictions_app.callback()
def predictions_list(
    ctx: typer.Context,
    due_before: Annotated[str | None, typer.Option(help="Only those due on or before YYYY-MM-DD.")] = None,
    by: Annotated[str | None, typer.Option(help="Only those made by a name containing this.")] = None,
    today: Annotated[str | None, typer.Option(help="Judge 'due' as of this date (default: today).")] = None,
    fmt: FormatOpt = "md",
    as_json: JsonOpt = False,
    as_md: MdOpt = False,
    output: OutputOpt = None,
) -> None:
    """Who predicted what, by when, how surely; due ones; suggested resolutions."""
    if ctx.invoked_subcommand is not None:
        return
    from .analyse.predictions import ledger, suggestions_skipped
    from .present.story import predictions_md, to_json

    fmt = _check_format(fmt, as_json, as_md)
    due = _parse_when(due_before, "--due-before")
    as_of = _parse_when(today, "--today")

    def render(store: Store, corpus: Corpus) -> str:
        skipped = suggestions_skipped(corpus)
        if skipped:
            err.print(f"note: {skipped}", markup=False, highlight=False, soft_wrap=True)
        entries = ledger(
            corpus,
            store.prediction_resolutions(),
            today=as_of.date() if as_of else None,
            due_before=due.date() if due else None,
            by=by,
        )
        return to_json([e.to_dict() for e in entries]) if fmt == "json" else predictions_md(entries)

    _show(render, output)


@predictions_app.command("resolve")
def predictions_resolve(
    prediction_id: Annotated[
        int, typer.Argument(metavar="ID", help="The prediction's id (see `sitroom predictions`).")
    ],
    outcome: Annotated[str, typer.Argument(help="true, false or void.")],
    note: Annotated[str | None, typer.Option(help="Why: what happened, where it was reported.")] = None,
    evidence: Annotated[str | None, typer.Option(help="The id of a stored document that shows it.")] = None,
) -> None:
    """Record how a prediction turned out (the latest verdict counts; earlier ones are kept)."""
    try:
        store = _open_store()
        try:
            store.resolve_prediction(prediction_id, outcome, note=note, evidence_document_id=evidence)
        finally:
            store.close()
    except SitroomError as exc:
        _fail(exc)
        return
    err.print(f"prediction {prediction_id} resolved: {outcome}")


@app.command()
def sources(fmt: FormatOpt = "md", as_json: JsonOpt = False, as_md: MdOpt = False, output: OutputOpt = None) -> None:
    """Track records of outlets and speakers: claims, first reports, corroboration, predictions."""
    from .analyse.contradictions import find
    from .analyse.predictions import ledger
    from .analyse.records import records
    from .present.story import records_md, to_json

    fmt = _check_format(fmt, as_json, as_md)

    def render(store: Store, corpus: Corpus) -> str:
        items = records(corpus, find(corpus), ledger(corpus, store.prediction_resolutions(), suggest=False))
        return to_json([r.to_dict() for r in items]) if fmt == "json" else records_md(items)

    _show(render, output)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (another than loopback needs a token).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option("--token", help="Require this token on every request (default: $SITROOM_TOKEN, if set)."),
    ] = None,
) -> None:
    """The situation room in the browser and the JSON API under /api/v1 (see docs/web.md)."""
    from .web import serve as run_server

    try:
        run_server(state.db, host, port, token)
    except SitroomError as exc:
        _fail(exc)


@app.command("eval")
def evaluate(
    gate: Annotated[bool, typer.Option("--gate", help="Exit 7 if any metric is below its pinned floor.")] = False,
    update_floors: Annotated[
        bool, typer.Option("--update-floors", help="Write eval/floors.json from this run (never lower).")
    ] = False,
    allow_lower: Annotated[
        bool, typer.Option("--allow-lower", help="With --update-floors: accept lower floors.")
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="A dataset or extractor to run (repeatable).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most N documents per public dataset.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score the extractors on public datasets (../shared) and the own gold set; see docs/benchmarks.md."""
    from .evaluate.__main__ import main as run_eval

    argv: list[str] = []
    argv += ["--gate"] if gate else []
    argv += ["--update-floors"] if update_floors else []
    argv += ["--allow-lower"] if allow_lower else []
    argv += ["--only", *only] if only else []
    argv += ["--limit", str(limit)] if limit is not None else []
    argv += ["--json"] if as_json else []
    raise typer.Exit(run_eval(argv))


def main() -> None:
    try:
        app()
    except SitroomError as exc:  # raised outside a command (e.g. with --debug off in callbacks)
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)
