"""The build: plan → jobs → executor → freshness; export is a plan run through the same jobs.

- ``run``: :func:`build` and :func:`check`, top to bottom like the design;
- ``plan``: variants × formats → jobs (the one ``max_pages`` rule);
- ``job``: one job → a frozen result (files, warnings, timings, seeds, fit);
- ``executor``: any function over any items, serially or in a process pool;
- ``freshness``: the state folder, the stamp fast path and the content hash;
- ``fit``: ``max_pages`` by dropping the lowest-priority items;
- ``many``: several CVs at once (a department); ``export``: an application bundle.
"""

from cvbuild.build.options import BuildOptions, BuildReport
from cvbuild.build.run import build, check

__all__ = ["BuildOptions", "BuildReport", "build", "check"]
