"""``antiphon build``: one build, a one-screen summary, exit status 1 if anything failed."""

from __future__ import annotations

import os
import sys

from generator.commands import ConfigError, config_from_args
from generator.site import BuildError, BuildResult, build


def run(args) -> int:
    try:
        config = config_from_args(args)
        result = build(config, include_drafts=args.drafts, jobs=args.jobs)
    except (ConfigError, BuildError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    for problem in result.diagnostics:
        print(problem, file=sys.stderr)
    if not args.quiet:
        print(summary(result, _shown(config.output_path)))
    return 1 if result.failed(args.strict) else 0


def summary(result: BuildResult, output: str) -> str:
    status = "FAILED" if result.errors else "done"
    return (
        f"Built {result.conversations} conversations into {output}: {result.pages} pages, "
        f"{len(result.written)} files written, {len(result.removed)} removed\n"
        f"{len(result.warnings)} warnings, {len(result.errors)} errors; {status} in {result.seconds:.2f} s"
    )


def _shown(path) -> str:
    try:
        shown = os.path.relpath(path)
        return (str(path) if shown.startswith("..") else shown) + os.sep
    except ValueError:
        return str(path)
