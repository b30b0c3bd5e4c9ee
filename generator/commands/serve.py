"""``antiphon serve``: build, serve on loopback, rebuild on every change, reload open pages.

The build loop runs on the main thread; watchdog's thread only collects
events, and the HTTP server answers from its own threads. A failed rebuild
writes nothing, so the last good site stays served while the error is shown
in the terminal and in every open page.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
import webbrowser
from pathlib import Path

from generator.commands import ConfigError, config_from_args
from generator.commands.build import summary
from generator.config import CONFIG_NAME
from generator.serve import PreviewServer
from generator.site import BuildError, Builder, BuildResult
from generator.theme import Theme
from generator.watch import ChangeCollector, start_observer


def run(args) -> int:
    # Ctrl-C is how the preview stops, even when started from a process that ignores it (a child
    # inherits an ignored SIGINT, and Python then leaves it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        config = config_from_args(args)
        builder = Builder(config, include_drafts=args.drafts, jobs=args.jobs, keep_messages=True)
        first = builder.build()
    except (ConfigError, BuildError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    _print_problems(first)
    print(summary(first, str(config.output_path)))
    _settle()
    try:
        server = PreviewServer(config.output_path, config.base_path, args.host, args.port)
    except OSError as err:
        print(f"antiphon: error: cannot listen on {args.host}:{args.port}: {err.strerror}", file=sys.stderr)
        return 1
    server.start()
    if first.errors:
        server.state.report(_problem_text(first))
    config_file = args.config.resolve() if args.config else config.root / CONFIG_NAME
    collector, observer = _start_watching(config, config_file, args.poll)
    try:
        # Announced only once the watcher runs, so a change made right after this line is seen; and
        # inside the try, so a Ctrl-C right after it stops cleanly too.
        print(f"Serving {server.url}  (Ctrl-C to stop)", flush=True)
        if args.open:
            webbrowser.open(server.url)
        while True:
            config, builder = _watch(collector, builder, config, config_file, server, args)
            if _watched_folders(collector) != _watched_folders(_collector(config, config_file)):
                observer.stop()
                observer.join()
                collector, observer = _start_watching(config, config_file, args.poll)
                _rebuild(builder, server, time.perf_counter())  # anything changed while switching
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.stop()
        builder.remember_sources()
    print("\nStopped.", flush=True)
    sys.stderr.flush()
    # Everything the preview owns is stopped above. Leave now: a thread that an interrupted index
    # update left waiting on Pagefind must not keep the process alive after Ctrl-C.
    os._exit(0)


def _collector(config, config_file: Path) -> ChangeCollector:
    return ChangeCollector(config.content_path, _theme_folders(config), [config_file], ignored=[config.output_path])


def _watched_folders(collector: ChangeCollector) -> tuple:
    return collector.content, tuple(collector.extra_folders), tuple(sorted(collector.ignored))


def _start_watching(config, config_file: Path, poll: bool):
    collector = _collector(config, config_file)
    return collector, start_observer(collector, poll=poll)


SEARCH_PAUSE_SECONDS = 2.0


def _watch(collector, builder, config, config_file: Path, server: PreviewServer, args):
    """Rebuild on each batch of changes; return when the config changed (the watched folders may move).

    Pages are rebuilt and reloaded at once; the search index, which covers the whole site, is
    refreshed when no change has come for a moment.
    """
    search_pending = False
    while True:
        changes = collector.wait(timeout=SEARCH_PAUSE_SECONDS if search_pending else None)
        if not changes:
            _update_search(builder)
            search_pending = False
            continue
        search_pending = True
        started = time.perf_counter()
        if config_file in {path.resolve() for path in changes}:
            try:
                new_config = config_from_args(args)
            except ConfigError as err:
                print(f"antiphon: error: {err}", file=sys.stderr)
                server.state.report(str(err))
                continue
            builder = Builder(new_config, include_drafts=args.drafts, jobs=args.jobs, keep_messages=True)
            _rebuild(builder, server, started)
            return new_config, builder
        _rebuild(builder, server, started)


def _update_search(builder: Builder) -> None:
    """What waits for a pause in the edits: the search index, and the notes for the next build."""
    try:
        result = builder.update_search()
        builder.remember_sources()
    finally:
        _settle()
    for problem in result.diagnostics:
        print(problem, file=sys.stderr, flush=True)
    if result.written or result.removed:
        print(f"Search index updated in {result.search_seconds:.1f} s", flush=True)


def _settle() -> None:
    """Move what the build keeps (the parsed archive) out of the cyclic collector's way."""
    gc.collect()
    gc.freeze()


def _rebuild(builder: Builder, server: PreviewServer, started: float) -> None:
    try:
        _report(builder.build(keep_on_error=True, search=False), server, started)
    except BuildError as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        server.state.report(str(err))
    finally:
        gc.freeze()  # keep the collector off what the build keeps; a full collection waits for a pause


def _report(result: BuildResult, server: PreviewServer, started: float) -> None:
    _print_problems(result)
    took = (time.perf_counter() - started) * 1000
    if result.errors:
        print(f"Rebuild failed ({len(result.errors)} errors); still serving the last good build", flush=True)
        server.state.report(_problem_text(result))
    elif result.written or result.removed:
        server.state.reload()
        print(f"Rebuilt in {took:.0f} ms: {len(result.written)} files written, {len(result.removed)} removed",
              flush=True)
    else:
        print(f"Rebuilt in {took:.0f} ms: nothing changed", flush=True)
        server.state.report(None)


def _theme_folders(config) -> list[Path]:
    try:
        return [folder for folder in Theme(config.theme, config.root).watched_paths() if folder.is_dir()]
    except Exception:
        return []


def _print_problems(result: BuildResult) -> None:
    for problem in result.diagnostics:
        print(problem, file=sys.stderr, flush=True)


def _problem_text(result: BuildResult) -> str:
    return "\n".join(str(d) for d in result.errors)
