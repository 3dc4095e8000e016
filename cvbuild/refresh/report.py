"""What a refresh did, for people (``summary_lines``) and machines (``to_json``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceReport:
    source: str  # "dblp:95/7448-1"
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0  # records the source sent that could not be used
    error: str = ""  # why the whole source failed; "" when it answered
    used_snapshot: bool = False  # the last good answer stood in for a failed source
    snapshot_age: float | None = None  # seconds, when a snapshot was used
    entries: int = 0  # records this source contributed
    messages: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "ok": self.ok,
            "error": self.error or None,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "entries": self.entries,
            "used_snapshot": self.used_snapshot,
            "snapshot_age_seconds": self.snapshot_age,
            "messages": list(self.messages),
        }


@dataclass
class RefreshReport:
    managed_file: str
    sources: list[SourceReport] = field(default_factory=list)
    changed: bool = False  # the merged content differs from the managed file on disk
    written: bool = False  # the managed file was replaced
    dry_run: bool = False
    content_hash: str = ""
    entries: int = 0  # works in the merged managed file
    backup: str = ""  # where the previous managed file was kept
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    would_add: list[str] = field(default_factory=list)  # cite keys new to the managed file
    would_remove: list[str] = field(default_factory=list)
    metrics_file: str = ""  # the managed metrics file ("" when no source counts citations)
    metrics_works: int = 0  # works with at least one citation count
    metrics_changed: bool = False  # the counts differ from the metrics file on disk
    metrics_written: bool = False

    @property
    def failed_sources(self) -> list[str]:
        return [s.source for s in self.sources if not s.ok]

    def to_json(self) -> dict[str, object]:
        return {
            "managed_file": self.managed_file,
            "changed": self.changed,
            "written": self.written,
            "dry_run": self.dry_run,
            "content_hash": self.content_hash,
            "entries": self.entries,
            "backup": self.backup or None,
            "failed_sources": self.failed_sources,
            "added_keys": list(self.would_add),
            "removed_keys": list(self.would_remove),
            "metrics_file": self.metrics_file or None,
            "metrics_works": self.metrics_works,
            "metrics_changed": self.metrics_changed,
            "metrics_written": self.metrics_written,
            "seconds": round(self.seconds, 3),
            "sources": [s.to_json() for s in self.sources],
            "messages": list(self.messages),
        }

    def summary_lines(self) -> list[str]:
        lines = []
        for s in self.sources:
            if s.ok:
                line = (
                    f"{s.source}: {s.added} added, {s.updated} updated, "
                    f"{s.unchanged} unchanged, {s.removed} gone"
                )
                if s.failed:
                    line += f", {s.failed} unusable"
            else:
                line = f"{s.source}: FAILED - {s.error}"
                if s.used_snapshot:
                    line += f"; kept its last good snapshot ({s.entries} entries)"
                else:
                    line += "; no earlier snapshot to fall back on"
            lines.append(line)
            lines.extend(f"  {m}" for m in s.messages)
        if not self.changed:
            lines.append(f"{self.managed_file}: unchanged ({self.entries} entries)")
        else:
            delta = (
                f"+{len(self.would_add)} -{len(self.would_remove)} entries, {self.entries} in all"
            )
            if self.dry_run:
                state = "would be written (dry run: nothing was written)"
            elif self.written:
                state = "written" + (
                    f"; the previous one is kept as {self.backup}" if self.backup else ""
                )
            else:
                state = "NOT written"
            lines.append(f"{self.managed_file}: changed ({delta}); {state}")
        if self.metrics_file:
            state = (
                "written"
                if self.metrics_written
                else "would be written (dry run)"
                if self.metrics_changed and self.dry_run
                else "NOT written"
                if self.metrics_changed
                else "unchanged"
            )
            lines.append(
                f"{self.metrics_file}: citation counts for {self.metrics_works} works; {state}"
            )
        lines.extend(self.messages)
        return lines
