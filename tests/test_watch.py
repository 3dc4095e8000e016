"""cvbuild watch: rebuild on save (also save-by-rename), debounced, errors reported, never exits."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build
from cvbuild.errors import InputError, Location, error
from cvbuild.starter import init_project
from cvbuild.watch import Targets, changed_paths, watch

FAST = {"interval": 0.02, "debounce": 0.1}


class Watcher:
    """Runs ``watch`` in a thread and records events and rebuilds."""

    def __init__(self, config: Path, rebuild: Callable[[], object] | None = None, **kw) -> None:
        self.events: list[str] = []
        self.builds = 0
        self.stop = threading.Event()
        self._rebuild = rebuild
        self.lock = threading.Lock()

        def do_rebuild() -> object:
            with self.lock:
                self.builds += 1
            return self._rebuild() if self._rebuild else None

        self.thread = threading.Thread(
            target=watch,
            args=(config, do_rebuild),
            kwargs={"on_event": self.events.append, "stop": self.stop, **FAST, **kw},
            daemon=True,
        )

    def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return
            time.sleep(0.01)
        raise AssertionError(f"timed out; events so far: {self.events}")

    def settle(self, seconds: float = 0.4) -> None:
        time.sleep(seconds)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path, name="Jane Doe")
    return tmp_path / "cv.yaml"


@pytest.fixture
def running(project: Path) -> Iterator[Callable[..., Watcher]]:
    started: list[Watcher] = []

    def start(rebuild: Callable[[], object] | None = None, **kw) -> Watcher:
        w = Watcher(project, rebuild, **kw)
        started.append(w)
        w.thread.start()
        return w

    yield start
    for w in started:
        w.stop.set()
        w.thread.join(5)
        assert not w.thread.is_alive(), "watch did not stop when asked"


def save_by_rename(path: Path, text: str) -> None:
    """What vim/VS Code do: write a new file beside, then rename it over the old one."""
    tmp = path.with_name(path.name + ".tmp-save")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_first_build_then_rebuild_after_save_by_rename(project: Path, running) -> None:
    bib = project.parent / "publications.bib"
    w = running(lambda: build(project, BuildOptions(formats=["md"])))
    w.wait_for(lambda: any(e.startswith("built: first build") for e in w.events))
    assert w.events[0].startswith("watching: cv.yaml, publications.bib")
    text = bib.read_text(encoding="utf-8").replace(
        "Reproducible Pipelines for Everyone", "Reproducible Pipelines, Revised"
    )
    save_by_rename(bib, text)
    w.wait_for(lambda: w.builds == 2 and any(e.startswith("built: after") for e in w.events))
    assert "changed: publications.bib" in w.events
    md = (project.parent / "output" / "cv" / "Doe_Jane_CV.md").read_text(encoding="utf-8")
    assert "Reproducible Pipelines, Revised" in md


def test_a_burst_of_saves_gives_one_rebuild(project: Path, running) -> None:
    w = running(debounce=0.25)
    w.wait_for(lambda: w.builds == 1)
    for i in range(6):
        with project.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {i}\n")
        time.sleep(0.03)
    w.wait_for(lambda: w.builds == 2)
    w.settle(0.5)
    assert w.builds == 2
    assert sum(e.startswith("changed:") for e in w.events) == 1


def test_errors_are_reported_and_watching_goes_on(project: Path, running) -> None:
    outcomes = [InputError([error(Location("cv.yaml", 3, 5), "bad value", "fix it")]), None]

    def rebuild() -> None:
        outcome = outcomes.pop(0) if outcomes else None
        if outcome is not None:
            raise outcome

    w = running(rebuild)
    w.wait_for(lambda: any(e.startswith("error: cv.yaml:3:5") for e in w.events))
    assert "error: 1 problem found; nothing was written" in w.events
    save_by_rename(project, project.read_text(encoding="utf-8") + "# fixed\n")
    w.wait_for(lambda: any(e.startswith("built: after saving cv.yaml") for e in w.events))


def test_a_bug_is_reported_with_its_traceback_and_watching_goes_on(project: Path, running) -> None:
    def rebuild() -> None:
        raise ZeroDivisionError("oops")

    w = running(rebuild)
    w.wait_for(lambda: any(e.startswith("internal error:") for e in w.events))
    bug = next(e for e in w.events if e.startswith("internal error:"))
    assert "ZeroDivisionError: oops" in bug and "Traceback" in bug
    project.write_text(project.read_text(encoding="utf-8") + "# again\n", encoding="utf-8")
    w.wait_for(lambda: w.builds == 2)


def test_broken_config_keeps_watching_and_new_bib_files_are_picked_up(
    project: Path, running
) -> None:
    folder = project.parent
    good = project.read_text(encoding="utf-8")
    w = running(lambda: build(project, BuildOptions(formats=["md"])))
    w.wait_for(lambda: w.builds == 1)
    save_by_rename(project, good + "\nnot: [valid\n")
    w.wait_for(lambda: w.builds == 2 and any(e.startswith("error:") for e in w.events))
    # Fix the config and make it read a second .bib file: that file is watched from then on.
    extra = folder / "extra.bib"
    extra.write_text(
        "@misc{extra1, title={First Extra}, author={Doe, Jane}, year={2020}}\n", encoding="utf-8"
    )
    save_by_rename(
        project, good.replace("bib: publications.bib", "bib: [publications.bib, extra.bib]")
    )
    w.wait_for(lambda: w.builds == 3 and any("extra.bib" in e for e in w.events))
    save_by_rename(extra, extra.read_text(encoding="utf-8").replace("First", "Second"))
    w.wait_for(lambda: w.builds == 4)
    w.wait_for(lambda: w.events[-1].startswith("built: after saving extra.bib"))
    md = (folder / "output" / "cv" / "Doe_Jane_CV.md").read_text(encoding="utf-8")
    assert "Second Extra" in md


def test_template_folder_is_watched_but_editor_swap_files_are_not(project: Path, running) -> None:
    templates = project.parent / "my-templates"
    templates.mkdir()
    (templates / "note.txt").write_text("v1", encoding="utf-8")
    project.write_text(
        project.read_text(encoding="utf-8").replace(
            "  dir: output\n", "  dir: output\n  templates: my-templates\n"
        ),
        encoding="utf-8",
    )
    w = running()
    w.wait_for(lambda: w.builds == 1)
    assert "my-templates/" in w.events[0]
    (templates / ".note.txt.swp").write_text("swap", encoding="utf-8")
    (templates / "note.txt~").write_text("backup", encoding="utf-8")
    w.settle(0.4)
    assert w.builds == 1
    save_by_rename(templates / "note.txt", "v2 longer")
    w.wait_for(lambda: w.builds == 2)


def test_snapshot_sees_rename_over_even_with_same_size_and_mtime(tmp_path: Path) -> None:
    path = tmp_path / "a.bib"
    path.write_text("same", encoding="utf-8")
    targets = Targets([path])
    before = targets.snapshot()
    st = os.stat(path)
    save_by_rename(path, "SAME")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime, new inode
    after = targets.snapshot()
    assert changed_paths(before, after) == [path]
    path.unlink()
    assert changed_paths(after, targets.snapshot()) == [path]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
def test_a_save_finds_an_engine_waiting_and_gives_the_cold_build_s_pdf(
    project: Path, running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cvbuild.compile import warm

    bib = project.parent / "publications.bib"
    pdf = project.parent / "output" / "cv" / "Doe_Jane_CV.pdf"
    opts = BuildOptions(formats=["pdf"], variants=["cv"])
    w = running(lambda: build(project, opts))
    w.wait_for(lambda: any(e.startswith("built: first build") for e in w.events), 120)
    w.wait_for(lambda: warm.idle_count() == 1, 30)  # the spare for the next save
    spare = warm._idle[0]
    started = []
    monkeypatch.setattr(warm, "register", lambda engine: started.append(engine))
    save_by_rename(bib, bib.read_text(encoding="utf-8").replace("Everyone", "Everybody"))
    w.wait_for(lambda: w.builds == 2 and sum(e.startswith("built:") for e in w.events) == 2, 120)
    assert spare.proc.poll() is not None and not spare.folder.exists()  # it typeset the save
    assert len(started) == 1  # the rebuild started no other engine, only the next spare
    started[0].discard()
    saved = pdf.read_bytes()
    w.stop.set()
    w.thread.join(10)
    assert warm.idle_count() == 0  # the session's end kills its spare
    monkeypatch.setenv("CVBUILD_WARM", "0")
    cold = tmp_path / "cold"
    build(project, BuildOptions(formats=["pdf"], variants=["cv"], output_dir=cold, force=True))
    assert (cold / "cv" / "Doe_Jane_CV.pdf").read_bytes() == saved
