"""Command line: parses options and hands them to one module per verb in ``commands/``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from generator import __version__


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="config file (default: ./antiphon.toml if present)")
    parser.add_argument("--content", type=Path, help="folder of transcripts (overrides content_dir)")
    parser.add_argument("--out", type=Path, help="output folder (overrides output_dir)")
    parser.add_argument("--base-url", help="the address the site is published at (overrides base_url)")
    parser.add_argument("--drafts", action="store_true", help="include conversations marked Draft: true")
    parser.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1,
                        help="processes that render pages (default: the number of CPUs)")
    parser.add_argument("--no-search", action="store_true",
                        help="no search page or index this time (overrides search = true)")


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="antiphon", description="Publish conversation transcripts as a static site.")
    parser.add_argument("--version", action="version", version=f"antiphon {__version__}")
    verbs = parser.add_subparsers(dest="command", metavar="COMMAND")
    verbs.required = True

    build = verbs.add_parser("build", help="build the site from the content folder")
    _site_options(build)
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (exit status 1)")
    build.add_argument("-q", "--quiet", action="store_true", help="print problems only, no summary")

    serve = verbs.add_parser("serve", help="build, serve on this machine, rebuild and reload on every change")
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in the default browser")
    serve.add_argument("--poll", action="store_true",
                       help="poll for changes (network mounts, containers) instead of native file events")

    check = verbs.add_parser("check", help="read every transcript and report per file, without building")
    check.add_argument("directory", type=Path, nargs="?", help="folder to check (default: the content folder)")
    check.add_argument("--config", type=Path, help="config file (default: ./antiphon.toml if present)")
    check.add_argument("--strict", action="store_true", help="warnings fail too (exit status 1)")
    check.add_argument("--secrets", action="store_true",
                       help="list only the possible secrets the site would publish (exit status 1 if any)")

    imports = verbs.add_parser("import", help="convert exports (ChatGPT, Claude, JSONL, subtitles…) to native transcripts")
    imports.add_argument("sources", type=Path, nargs="+", help="files or folders to import")
    imports.add_argument("--to", type=Path, default=Path("content"), help="folder to write to (default: content)")
    imports.add_argument("--force", action="store_true", help="overwrite files that exist and differ")
    imports.add_argument("--config", type=Path, help="config file, for its 'exclude' (default: ./antiphon.toml)")

    new = verbs.add_parser("new", help="create a new archive folder (sample transcript, config, Pages workflow)")
    new.add_argument("directory", type=Path, help="folder to create (must not exist, or be empty)")
    new.add_argument("--title", help="the site title (default: from the folder name)")
    new.add_argument("--install", metavar="REQUIREMENT",
                     help="what the Pages workflow installs: a pip requirement ('antiphon==0.2.0', "
                          "'antiphon @ git+https://…@COMMIT') or a .whl file (copied to vendor/); default: "
                          "this version from PyPI, or the git commit this copy came from")

    deploy = verbs.add_parser("deploy", help="build the site, publish it as a commit on the gh-pages branch, push it")
    deploy.add_argument("--config", type=Path, help="config file (default: ./antiphon.toml if present)")
    deploy.add_argument("--out", type=Path, help="the site folder (overrides output_dir)")
    deploy.add_argument("--base-url", help="the address the site is published at (overrides base_url; "
                                           "default: worked out from a GitHub remote)")
    deploy.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1,
                        help="processes that render pages (default: the number of CPUs)")
    deploy.add_argument("--no-build", action="store_true",
                        help="publish the site as built; refuses when it is older than its sources")
    deploy.add_argument("--allow-secrets", action="store_true",
                        help="publish even when the site holds possible secrets (see 'antiphon check --secrets')")
    deploy.add_argument("--remote", default="origin", help="git remote to push to (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="branch to publish on (default: gh-pages)")
    deploy.add_argument("-m", "--message", help="commit message (default: 'Deploy <commit> with Antiphon <version>')")
    deploy.add_argument("--no-push", action="store_true", help="make the commit on the local branch only")
    deploy.add_argument("--allow-dirty", action="store_true",
                        help="publish even with uncommitted changes to transcripts, config or templates")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    module = {"import": "importer"}.get(args.command, args.command)
    return importlib.import_module(f"generator.commands.{module}").run(args)


if __name__ == "__main__":
    sys.exit(main())
