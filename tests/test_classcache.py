"""The compiled methods of dataclasses kept in the per-user cache: a class made from the cache
is the class ``dataclasses`` makes, a changed class is compiled again, a damaged or oversized
file is ignored and replaced, nothing is written where the cache folder cannot be made."""

from __future__ import annotations

import atexit
import dataclasses
import json
import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cvbuild import classcache

REPO = Path(__file__).resolve().parents[1]

CLASSES = """
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Point:
    x: int
    y: int = 2
    tags: tuple[str, ...] = ()

@dataclass(order=True)
class Box:
    name: str
    items: list[int] = field(default_factory=list)
    hidden: str = field(default="h", repr=False, compare=False)
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty per-user cache; ``dataclasses`` given back its own ``exec`` afterwards
    (or the one a command run in this process installed before)."""
    monkeypatch.delattr(dataclasses, "exec", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    yield tmp_path / "xdg" / "cvbuild" / classcache.CACHE_FOLDER
    _uninstall()


def _uninstall() -> None:
    own = vars(dataclasses).get("exec")
    if own is not None:
        del dataclasses.exec  # type: ignore[attr-defined]
    for fn in list(_registered):
        atexit.unregister(fn)
        _registered.remove(fn)


_registered: list[object] = []


def _install() -> classcache.Session:
    session = classcache.install()
    assert session is not None
    _registered.append(session.save)
    return session


def _define(source: str = CLASSES) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": "made_in_test"}
    exec(compile(source, "<classes>", "exec", dont_inherit=True), namespace)  # noqa: S102
    return namespace


def _behaviour(ns: dict[str, object]) -> list[object]:
    point, box = ns["Point"], ns["Box"]
    p = point(1)  # type: ignore[operator]
    b1, b2 = box("a", [1]), box("b", hidden="x")  # type: ignore[operator]
    frozen = ""
    try:
        p.x = 5
    except dataclasses.FrozenInstanceError as exc:
        frozen = str(exc)
    return [
        repr(p),
        p == point(1, 2, ()),  # type: ignore[operator]
        hash(p) == hash(point(1)),  # type: ignore[operator]
        frozen,
        repr(b1),
        b1 < b2,
        b2 == box("b"),  # type: ignore[operator]
        b2.items,
        [f.name for f in dataclasses.fields(box)],  # type: ignore[arg-type]
        repr(dataclasses.replace(p, y=9)),
        point.__doc__,
    ]


def test_classes_from_the_cache_are_the_classes_dataclasses_makes(cache: Path) -> None:
    plain = _behaviour(_define())
    first = _install()
    cold = _behaviour(_define())
    assert first.compiled and not first.known
    first.save()
    assert len(list(cache.glob("*.code"))) == 1
    _uninstall()
    second = _install()
    assert set(second.known) == set(first.compiled)
    warm = _behaviour(_define())
    assert second.compiled == {}  # every method came from the cache
    assert plain == cold == warm


def test_a_changed_class_is_compiled_again(cache: Path) -> None:
    _install().save()  # nothing compiled: nothing written
    assert not cache.exists()
    _define()
    _uninstall()
    session = _install()
    assert session.compiled == {} and session.known == {}
    _define()
    session.save()
    _uninstall()
    again = _install()
    ns = _define(CLASSES.replace("    y: int = 2\n", "    y: int = 2\n    z: int = 3\n"))
    assert again.compiled  # Point's new methods
    assert repr(ns["Point"](1)) == "Point(x=1, y=2, z=3, tags=())"  # type: ignore[operator]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data[:-30] + bytes(30),
        lambda data: b"cvbuild-dataclass-code 1\n" + b"0" * 64 + b"\n" + marshal.dumps({}),
        lambda data: b"not a cache\n" * 50,
        lambda data: data + b"\0" * classcache.MAX_BYTES,
    ],
)
def test_a_damaged_file_is_ignored_and_replaced(damage, cache: Path) -> None:
    session = _install()
    _define()
    session.save()
    _uninstall()
    (entry,) = cache.glob("*.code")
    good = classcache.read(entry)
    assert good
    entry.write_bytes(damage(entry.read_bytes()))
    assert classcache.read(entry) == {}
    again = _install()
    assert again.known == {}
    assert _behaviour(_define()) == _behaviour(_define())
    again.save()
    assert set(classcache.read(entry)) == set(good)


def test_foreign_content_with_a_valid_digest_is_not_used(cache: Path) -> None:
    path = classcache.cache_path()
    assert path is not None
    path.parent.mkdir(parents=True)
    for store in ({"a": compile("1", "<x>", "exec")}, {b"k": "not code"}, [1, 2]):
        payload = marshal.dumps(store)
        import hashlib

        digest = hashlib.sha256(payload).hexdigest().encode()
        path.write_bytes(b"cvbuild-dataclass-code 1\n" + digest + b"\n" + payload)
        assert classcache.read(path) == {}


def test_nothing_is_written_where_the_cache_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(dataclasses, "exec", raising=False)
    blocker = tmp_path / "xdg"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    try:
        session = _install()
        assert _behaviour(_define()) and session.compiled
        session.save()
    finally:
        _uninstall()
    assert blocker.read_text(encoding="utf-8") == "in the way"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xdg"]


def test_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(dataclasses, "exec", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("CVBUILD_CACHE", "0")
    assert classcache.install() is None
    assert "exec" not in vars(dataclasses)


_METHODS = """
import dataclasses, hashlib, importlib, json, marshal, pkgutil, sys
import cvbuild
if sys.argv[1] == "cached":
    from cvbuild import classcache
    assert classcache.install() is not None
found = {}
for info in pkgutil.walk_packages(cvbuild.__path__, "cvbuild."):
    if info.name in ("cvbuild.__main__",):
        continue
    module = importlib.import_module(info.name)
    for value in vars(module).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__",
                         "__delattr__", "__lt__", "__le__", "__gt__", "__ge__"):
                fn = vars(value).get(name)
                code = getattr(fn, "__code__", None)
                if code is not None:
                    key = f"{value.__module__}.{value.__qualname__}.{name}"
                    found[key] = hashlib.sha256(marshal.dumps(code)).hexdigest()
print(json.dumps(found))
"""


def test_every_cvbuild_dataclass_gets_the_same_code_from_the_cache(tmp_path: Path) -> None:
    """Each method of every dataclass in cvbuild, compiled by ``dataclasses`` and taken
    from a warm cache, is the same code object (as marshal writes it)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"), PYTHONPATH=str(REPO))

    def methods(mode: str) -> dict[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", _METHODS, mode],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return dict(json.loads(done.stdout))

    plain = methods("plain")
    assert len(plain) > 300
    cold = methods("cached")  # compiles, saves at exit
    assert list((tmp_path / "xdg" / "cvbuild" / classcache.CACHE_FOLDER).glob("*.code"))
    warm = methods("cached")
    assert plain == cold == warm


def test_files_of_other_versions_are_pruned(cache: Path) -> None:
    cache.mkdir(parents=True)
    for i in range(classcache.MAX_FILES + 2):
        old = cache / f"old{i}.code"
        old.write_bytes(b"another Python's")
        os.utime(old, ns=(10**9 * (i + 1),) * 2)
    session = _install()
    _define()
    session.save()
    kept = sorted(p.name for p in cache.glob("*.code"))
    assert len(kept) == classcache.MAX_FILES and session.path.name in kept
    assert "old0.code" not in kept
