"""``antiphon deploy``: build the site, then publish it as one new commit on a ``gh-pages`` branch.

Builds first (as ``mkdocs gh-deploy`` does), so what is published is what the sources say; with
``--no-build`` it refuses a site older than its sources. Refuses too when the build fails, when the
site would publish a possible secret (see generator/secrets; ``--allow-secrets`` overrides), and
when transcripts, the config or templates have uncommitted changes (the published site would match
no commit). Without ``base_url`` the address is worked out from a GitHub remote (feeds, the sitemap
and the 404 page need it).

Works with git plumbing and a temporary index, so the working tree, the index
and the current branch are never touched: the site folder's files become a
tree, the tree a commit on top of the branch's last commit, and the branch is
pushed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.commands import ConfigError, config_from_args
from generator.commands.build import report_lines
from generator.config import Config
from generator.diagnostics import Diagnostic, plural
from generator.output import MANIFEST
from generator.secrets import is_finding
from generator.secrets.scan import scan_content
from generator.site import BuildError, build
from generator.sources import ContentError, Exclusions, discover

SECRETS_LISTED = 10  # findings listed when a deploy is refused; check --secrets lists them all


class DeployError(Exception):
    pass


def run(args) -> int:
    try:
        config = config_from_args(args)
        git = _Git(config.root)
        if not args.allow_dirty:
            _refuse_dirty(git, _source_paths(config))  # before building: the build would be for nothing
        config = _with_base_url(config, git, args.remote)
        findings = _check_site(config, args)
        _refuse_secrets(findings, args.allow_secrets)
        commit, files = deploy(config.root, config.output_path, _source_paths(config), args.remote, args.branch,
                               args.message, push=not args.no_push, allow_dirty=args.allow_dirty)
    except (ConfigError, DeployError, BuildError, ContentError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    where = f"{args.remote}/{args.branch}" if not args.no_push else f"the local branch {args.branch}"
    print(f"Published {plural(files, 'file')} of {config.output_path.name}/ as commit {commit[:12]} on {where}, "
          f"for {config.base_url or 'no base_url (links are relative; there are no feeds or sitemap)'}")
    return 0


def _with_base_url(config: Config, git: "_Git", remote: str) -> Config:
    """The config, with base_url worked out from the remote when it is not set."""
    if config.base_url:
        return config
    url = git.run("remote", "get-url", remote).stdout.strip()
    guessed = pages_address(url, config.cname)
    if guessed:
        print(f"antiphon: base_url is not set; publishing for {guessed} (GitHub Pages, from the remote "
              f"'{remote}'); set base_url in antiphon.toml to choose another", file=sys.stderr)
        return replace(config, base_url=guessed)
    print("antiphon: warning: base_url is not set and the remote is not on GitHub: the published site has no "
          "feed.xml or sitemap.xml, and its 404 page links to the site's root; set base_url in antiphon.toml",
          file=sys.stderr)
    return config


def pages_address(remote_url: str, cname: str = "") -> str:
    """The GitHub Pages address of a repository, from its remote URL ('' when it is not on GitHub)."""
    if cname:
        return f"https://{cname}/"
    found = re.match(r"(?:https://|ssh://git@|git@)github\.com[/:]([^/]+)/([^/]+?)(?:\.git)?/?$", remote_url)
    if not found:
        return ""
    owner, repository = found.groups()
    if repository.lower() == f"{owner.lower()}.github.io":
        return f"https://{repository.lower()}/"
    return f"https://{owner.lower()}.github.io/{repository}/"


def _check_site(config: Config, args) -> list[Diagnostic]:
    """Build (unless --no-build: then the site must be newer than its sources); the possible secrets."""
    if args.no_build:
        stale = newer_sources(config)
        if stale:
            raise DeployError(f"the site is older than {', '.join(stale)}; run 'antiphon build' first, "
                              "or deploy without --no-build")
        return scan_content(config)[1]
    result = build(config, jobs=args.jobs)
    for line in report_lines(result.diagnostics):
        print(line, file=sys.stderr)
    if result.failed():
        raise DeployError(f"the build failed ({result.errors} errors); nothing was published")
    return [diagnostic for diagnostic in result.diagnostics if is_finding(diagnostic)]


def _refuse_secrets(findings: list[Diagnostic], allowed: bool) -> None:
    if not findings:
        return
    files = len({finding.path for finding in findings})
    if not allowed:
        listed = "\n".join(f"  {finding}" for finding in findings[:SECRETS_LISTED])
        more = f"\n  … and {len(findings) - SECRETS_LISTED} more ('antiphon check --secrets' lists them all)" \
            if len(findings) > SECRETS_LISTED else ""
        raise DeployError(f"the site would publish {plural(len(findings), 'possible secret')} in "
                          f"{plural(files, 'file')}; nothing was published:\n{listed}{more}\n"
                          "Redact them or allow them in the [redact] table of antiphon.toml, "
                          "or pass --allow-secrets to publish them anyway")
    print(f"antiphon: WARNING: publishing {plural(len(findings), 'possible secret')} in {plural(files, 'file')} "
          "because of --allow-secrets; anyone can read them once the site is up", file=sys.stderr)


def newer_sources(config: Config) -> list[str]:
    """Up to three sources (transcripts, the config, templates) changed since the site was built."""
    manifest = config.output_path / MANIFEST
    if not manifest.is_file():
        return []  # deploy says the site is not built
    built = manifest.stat().st_mtime_ns
    content = config.content_path
    paths = [Path(f.path) for f in discover(content, Exclusions(config.exclude, content), config.follow_symlinks).files]
    paths += [p for p in (config.root / "antiphon.toml",) if p.is_file()]
    for folder in (config.root / "templates", config.root / "themes"):
        paths += [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    newer = [p for p in paths if p.stat().st_mtime_ns > built]
    return [os.path.relpath(p, config.root) for p in sorted(newer)[:3]]


def _source_paths(config) -> list[Path]:
    """What the site is made from: a change here that is not committed makes the deploy refuse."""
    paths = [config.content_path, config.root / "antiphon.toml", config.root / "templates", config.root / "themes"]
    return [p for p in paths if p.exists()]


def deploy(root: Path, site: Path, sources: list[Path], remote: str, branch: str, message: str | None,
           push: bool = True, allow_dirty: bool = False) -> tuple[str, int]:
    """Publish ``site``: (the commit, the number of files in it)."""
    git = _Git(root)
    if not (site / "index.html").is_file() or not (site / MANIFEST).is_file():
        raise DeployError(f"{site} holds no built site; run 'antiphon build' first")
    if not allow_dirty:
        _refuse_dirty(git, sources)
    parent = _parent_commit(git, remote, branch, push)
    tree = _tree_of(git, site)
    if parent and git.output("rev-parse", f"{parent}^{{tree}}").strip() == tree:
        print(f"{branch} already holds exactly this site; nothing to commit")
        commit = parent
    else:
        head = git.output("rev-parse", "--short", "HEAD", check=False).strip() or "an unborn branch"
        text = message or f"Deploy {head} with Antiphon {__version__}"
        commit = git.output("commit-tree", tree, *(["-p", parent] if parent else []), "-m", text).strip()
        git.output("update-ref", f"refs/heads/{branch}", commit)
    if push:
        git.output("push", remote, f"refs/heads/{branch}:refs/heads/{branch}")
    return commit, len(git.output("ls-tree", "-r", "--name-only", tree).splitlines())


def _refuse_dirty(git: "_Git", sources: list[Path]) -> None:
    dirty = git.output("status", "--porcelain", "--", *[str(p) for p in sources])
    if dirty.strip():
        changed = ", ".join(line[3:] for line in dirty.splitlines()[:5])
        raise DeployError(f"uncommitted changes to the archive's sources ({changed}); commit them first "
                          "so the published site matches a commit, or pass --allow-dirty")


def _parent_commit(git: "_Git", remote: str, branch: str, push: bool) -> str | None:
    """The branch's newest commit: the remote's (fetched) when pushing, else the local branch's."""
    if push:
        if git.run("remote", "get-url", remote).returncode != 0:
            raise DeployError(f"no git remote named '{remote}' (see 'git remote -v'; choose one with --remote)")
        fetched = git.run("fetch", "--quiet", remote, f"refs/heads/{branch}")
        if fetched.returncode == 0:
            return git.output("rev-parse", "FETCH_HEAD").strip()
    local = git.run("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return local.stdout.strip() if local.returncode == 0 else None


def _tree_of(git: "_Git", site: Path) -> str:
    """A git tree of every file in ``site`` (minus Antiphon's own state files), made with a throw-away index."""
    with tempfile.TemporaryDirectory(prefix="antiphon-deploy-") as temporary:
        env = {"GIT_INDEX_FILE": os.path.join(temporary, "index"), "GIT_WORK_TREE": str(site)}
        git.output("add", "--all", "--force", "--", ".", ":(exclude).antiphon-*", env=env, cwd=site)
        return git.output("write-tree", env=env, cwd=site).strip()


class _Git:
    def __init__(self, root: Path):
        self.root = root
        found = self.run("rev-parse", "--absolute-git-dir")
        if found.returncode != 0:
            raise DeployError(f"{root} is not in a git repository ('git init' it, and add a remote to publish to)")
        self.git_dir = found.stdout.strip()

    def run(self, *args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, **(env or {})}
        if env:
            full_env["GIT_DIR"] = self.git_dir
        try:
            return subprocess.run(["git", *args], cwd=cwd or self.root, env=full_env, capture_output=True, text=True)
        except FileNotFoundError:
            raise DeployError("git is not installed") from None

    def output(self, *args: str, env: dict | None = None, cwd: Path | None = None, check: bool = True) -> str:
        result = self.run(*args, env=env, cwd=cwd)
        if check and result.returncode != 0:
            raise DeployError(f"git {args[0]} failed: {(result.stderr or result.stdout).strip()}")
        return result.stdout
