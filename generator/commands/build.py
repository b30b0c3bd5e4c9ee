"""``antiphon build``: one build, a short report, exit status 1 if anything failed.

Errors and warnings are printed one per line. Notes (what the build did about the
archive's own data) are folded when there are many of one kind: a real archive has
hundreds of empty runs and runner side files, and one line says it better than hundreds.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict

from generator.commands import ConfigError, config_from_args
from generator.diagnostics import Diagnostic, plural, tally
from generator.progress import TerminalProgress
from generator.readers import NOT_A_TRANSCRIPT
from generator.site import BuildError, BuildResult, build

FOLDED_AFTER = 3  # notes of one kind beyond this many are printed as one line
PAGES_SIZE_LIMIT = 1_000_000_000  # GitHub Pages publishes sites up to 1 GB
PAGES_FILES_WELL = 100_000  # more files than this make a Pages deploy slow, and some fail


def run(args) -> int:
    try:
        config = config_from_args(args)
        progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
        result = build(config, include_drafts=args.drafts, jobs=args.jobs, progress=progress)
    except (ConfigError, BuildError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    for line in report_lines(result.diagnostics):
        print(line, file=sys.stderr)
    if not args.quiet:
        print(summary(result, _shown(config.output_path)))
    warning = size_warning(*result.site_size, downloads=config.downloads)
    if warning:
        print(f"antiphon: warning: {warning}", file=sys.stderr)
    return 1 if result.failed(args.strict) else 0


def size_warning(size: int, files: int, downloads: list[str] = ()) -> str:
    """What to say when a site is too big for GitHub Pages ('' when it is not)."""
    if size > PAGES_SIZE_LIMIT:
        remedy = ("offer no downloads (downloads = [] in antiphon.toml: each is about the transcripts' size) "
                  "or turn search off") if downloads else "turn search off or publish the archive as several sites"
        return f"the site is {size / 1e9:.2f} GB; GitHub Pages publishes at most 1 GB: {remedy}"
    if files > PAGES_FILES_WELL:
        return f"the site has {files:,} files; GitHub Pages deploys slowly past {PAGES_FILES_WELL:,}"
    return ""


def report_lines(diagnostics: list[Diagnostic]) -> list[str]:
    """Every error and warning; notes, folded by kind when there are more than a few of one."""
    lines = [str(d) for d in diagnostics if d.level != "note"]
    notes = [d for d in diagnostics if d.level == "note"]
    skipped = [d for d in notes if d.message.startswith(NOT_A_TRANSCRIPT)]
    others: dict[str, list[Diagnostic]] = defaultdict(list)
    for note in notes:
        if note not in skipped:
            others[_kind_of(note.message)].append(note)
    if len(skipped) > FOLDED_AFTER:
        lines.append(not_transcripts_line(skipped))
    else:
        lines += [str(d) for d in skipped]
    for kind, group in others.items():
        if len(group) > FOLDED_AFTER:
            shown = ", ".join(d.path for d in group[:2])
            lines.append(f"note: {plural(len(group), 'file')}: {kind} ({shown}, …)")
        else:
            lines += [str(d) for d in group]
    return lines


def _kind_of(message: str) -> str:
    """What a note says, without its particulars ('3 control characters (U+0000) …' -> the rest)."""
    return message.split(") ", 1)[-1] if message[:1].isdigit() and ") " in message else message


def not_transcripts_line(skipped: list[Diagnostic]) -> str:
    """'251 files are not transcripts: 126 *.media_state.json, 125 *_meta.jsonl; …'"""
    patterns = file_patterns([d.path for d in skipped])
    top = ", ".join(f"{count} {pattern}" for pattern, count in patterns.most_common(4))
    more = "" if len(patterns) <= 4 else f", {len(patterns) - 4} more kinds"
    return (f"note: {len(skipped)} files are not transcripts: {top}{more}; "
            "add them to 'exclude' in antiphon.toml (or to .antiphonignore) to silence this")


def file_patterns(paths: list[str]) -> Counter:
    """A glob for each file that names its kind ('*.media_state.json', '*_meta.jsonl'): of the name's
    endings (from each '.', and from the last '_' before a plain extension), the longest that another
    file shares."""
    endings = []
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        own = [name[index:] for index, char in enumerate(name) if char == "." and index > 0]
        tail = name.rsplit("_", 1)[1] if "_" in name else ""
        if tail.count(".") == 1 and " " not in tail:  # 'meta.jsonl', not 'LAKE DOOR.txt.media.jsonl'
            own.append("_" + tail)
        endings.append(own or [name])
    shared = Counter(ending for own in endings for ending in set(own))
    chosen = Counter()
    for own in endings:
        common = [ending for ending in own if shared[ending] >= 2]
        chosen["*" + (max(common, key=lambda e: (len(e), e)) if common else min(own, key=len))] += 1
    return chosen


def summary(result: BuildResult, output: str) -> str:
    status = "FAILED" if result.errors else "done"
    timings = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in result.timings.items())
    if result.shards:
        timings += f"; search shards indexed: {result.shards_indexed} of {result.shards}"
    return (
        f"Built {plural(result.conversations, 'conversation')} into {output}: {plural(result.pages, 'page')}, "
        f"{len(result.written)} files written, {len(result.removed)} removed\n"
        f"{tally(result.diagnostics)}; {status} in {result.seconds:.2f} s" + (f" ({timings})" if timings else "")
    )


def _shown(path) -> str:
    try:
        shown = os.path.relpath(path)
        return (str(path) if shown.startswith("..") else shown) + os.sep
    except ValueError:
        return str(path)
