"""``run_refresh``: fetch every source, fall back on snapshots, merge, write the managed file."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

from cvbuild.bib.dedupe import dedupe, identities
from cvbuild.bib.model import Publication
from cvbuild.config.managed import HEADER_MARK, into_problems
from cvbuild.config.model import CV
from cvbuild.errors import InputError, Location, error
from cvbuild.metrics.store import SourceFigures, metrics_path
from cvbuild.refresh.bibwrite import format_bibtex
from cvbuild.refresh.hashing import canonical, content_hash
from cvbuild.refresh.http import MB, FetchError, HttpClient
from cvbuild.refresh.metrics import Seen, collect, figures_of, foreign, previous_figures
from cvbuild.refresh.report import RefreshReport, SourceReport
from cvbuild.refresh.sources import SourceError, describe, make_source
from cvbuild.refresh.store import (
    Snapshot,
    cache_dir,
    load_snapshot,
    refresh_lock,
    replace_with_backup,
    save_snapshot,
    write_atomic,
)

HEADER = (
    HEADER_MARK.removeprefix("% ") + " from: {sources}.\n"
    "Do not edit: the next refresh replaces this file. Keep your own entries in your\n"
    "curated .bib; where both hold a work, the curated entry wins field by field."
)
_KEYS = re.compile(r"^@\s*\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def _compare(report: SourceReport, new: list[Publication], old: list[Publication] | None) -> None:
    """Count added / updated / unchanged / removed against the last good snapshot."""
    if old is None:
        report.added = len(new)
        return
    by_id: dict[str, int] = {}
    for index, pub in enumerate(old):
        for ident in identities(pub):
            by_id.setdefault(ident, index)
    matched: set[int] = set()
    for pub in new:
        found = next((by_id[i] for i in identities(pub) if i in by_id), None)
        if found is None or found in matched:
            report.added += 1
            continue
        matched.add(found)
        if canonical(old[found]) == canonical(pub):
            report.unchanged += 1
        else:
            report.updated += 1
    report.removed = len(old) - len(matched)


def _unique_keys(pubs: list[Publication]) -> None:
    seen: set[str] = set()
    for pub in pubs:
        key, suffix = pub.key, 0
        while key in seen:
            suffix += 1
            key = f"{pub.key}-{suffix}"
        pub.key = key
        seen.add(key)


def _sort_key(pub: Publication) -> tuple[int, str, str]:
    return (-(pub.year or 9999), pub.entry_type, pub.key)


def _managed_path(cv: CV, into: Path) -> Path:
    return into if into.is_absolute() else (cv.path.parent / into).resolve()


def _check_into(cv: CV, into: Path) -> None:
    """The loader checked ``into`` already; check again right before writing (the files may
    have changed since, and a CV built in code has not been through the loader)."""
    curated = [
        (bib, section.title)
        for section in cv.sections
        if section.publications is not None
        for bib in section.publications.bib
    ]
    found = into_problems(into, cv.path, curated)
    if found:
        raise InputError([error(Location.of(cv.path), m, h) for m, h in found])


def run_refresh(
    cv: CV,
    *,
    dry_run: bool = False,
    now: float | None = None,
    client: HttpClient | None = None,
    lock_wait: float = 0.0,
) -> RefreshReport:
    """Fetch all configured sources and update the managed BibTeX file.

    A failing source never raises: it is reported, its last good snapshot stands in for it,
    and the managed file is only rewritten when every source either answered or has a
    snapshot. Raises InputError when the config has no ``refresh:`` block and ExternalError
    when another refresh holds the lock (after ``lock_wait`` seconds).
    """
    started = time.perf_counter()
    if cv.refresh is None or not cv.refresh.sources:
        raise InputError(
            [
                error(
                    Location.of(cv.path),
                    "there is no 'refresh:' block with sources",
                    "add refresh: {into: publications.fetched.bib, sources: [{orcid: …}]}",
                )
            ]
        )
    config = cv.refresh
    now = time.time() if now is None else now
    into = _managed_path(cv, config.into)
    folder = cache_dir(cv.path)
    _check_into(cv, into)
    client = client or HttpClient(mailto=config.mailto, max_bytes=config.max_response_mb * MB)
    report = RefreshReport(managed_file=str(into), dry_run=dry_run)

    lock = contextlib.nullcontext() if dry_run else refresh_lock(folder, wait=lock_wait)
    metrics_file = metrics_path(into)
    old_figures = previous_figures(metrics_file)
    figures: dict[str, SourceFigures] = {}
    seen: list[Seen] = []
    with lock:
        combined: list[Publication] = []
        fresh: list[Snapshot] = []  # saved only when the managed file is brought up to date
        complete = True
        for source_config in config.sources:
            ident = describe(source_config)
            source_report = SourceReport(ident)
            report.sources.append(source_report)
            previous = load_snapshot(folder, ident)
            pubs: list[Publication] | None = None
            try:
                with client.deadline(config.timeout):
                    result = make_source(source_config).fetch(client)
                if result.author_metrics:
                    figures[source_config.kind] = figures_of(result.author_metrics, now)
                source_report.messages.extend(result.messages)
                source_report.failed = result.failed
                if not result.pubs and previous is not None and previous.pubs:
                    raise SourceError(
                        f"answered with no publications, but its last good answer had "
                        f"{len(previous.pubs)}; treated as a failure"
                    )
                pubs = result.pubs
            except FetchError as exc:
                where = f" ({exc.url})" if exc.url else ""
                source_report.error = f"{exc}{where}"
            except SourceError as exc:
                source_report.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a source must never stop the others
                source_report.error = f"unexpected answer ({exc.__class__.__name__}: {exc})"
            if pubs is not None:
                _compare(source_report, pubs, previous.pubs if previous else None)
                source_report.entries = len(pubs)
                fresh.append(Snapshot(ident, now, pubs))
                combined.extend(pubs)
                seen.extend(Seen(p, now) for p in pubs)
            elif previous is not None:
                source_report.used_snapshot = True
                source_report.snapshot_age = max(0.0, now - previous.fetched_at)
                source_report.entries = len(previous.pubs)
                combined.extend(previous.pubs)
                seen.extend(Seen(p, previous.fetched_at) for p in previous.pubs)
                kind = source_config.kind
                if kind not in figures and kind in old_figures:
                    figures[kind] = old_figures[kind]
            else:
                complete = False

        for order, pub in enumerate(combined):
            pub.order = order
        merged, problems = dedupe(combined)
        report.messages.extend(str(p) for p in problems)
        _unique_keys(merged)
        merged.sort(key=_sort_key)
        report.entries = len(merged)
        report.content_hash = content_hash(merged)
        idents = ", ".join(describe(s) for s in config.sources)
        text = format_bibtex(merged, HEADER.format(sources=idents))

        metrics = collect(seen, merged, figures)
        metrics_text = metrics.text() if (metrics.works or metrics.sources) else None
        old_metrics = (
            metrics_file.read_text(encoding="utf-8", errors="replace")
            if metrics_file.is_file()
            else None
        )
        report.metrics_file = str(metrics_file) if metrics_text or old_metrics else ""
        report.metrics_works = len(metrics.works)
        report.metrics_changed = metrics_text is not None and metrics_text != old_metrics

        old_text = into.read_text(encoding="utf-8", errors="replace") if into.exists() else None
        report.changed = old_text != text and not (old_text is None and not merged)
        old_keys = set(_KEYS.findall(old_text or ""))
        new_keys = [p.key for p in merged]
        report.would_add = [k for k in new_keys if k not in old_keys]
        report.would_remove = sorted(old_keys - set(new_keys))
        if report.changed and not dry_run and not complete:
            report.messages.append(
                f"{into.name} was not written: a failed source has no earlier snapshot, "
                "so its papers would go missing; the file is left as it was"
            )
        elif not dry_run and complete:
            if report.changed:
                _check_into(cv, into)
                backup = replace_with_backup(into.resolve(), text, folder)
                report.written = True
                report.backup = str(backup) if backup is not None else ""
            if report.metrics_changed and metrics_text is not None:
                if foreign(metrics_file):
                    report.messages.append(
                        f"{metrics_file.name} was not written: it is not a metrics file "
                        "'cvbuild refresh' wrote; move it away to let refresh manage it"
                    )
                else:
                    write_atomic(metrics_file, metrics_text)
                    report.metrics_written = True
            for snapshot in fresh:
                save_snapshot(folder, snapshot)
    report.seconds = time.perf_counter() - started
    return report
