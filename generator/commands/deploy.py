"""``antiphon deploy``: publish the built site as one new commit on a ``gh-pages`` branch.

Works with git plumbing and a temporary index, so the working tree, the index
and the current branch are never touched: the site folder's files become a
tree, the tree a commit on top of the branch's last commit, and the branch is
pushed. Refuses when the site is not built, or when transcripts, the config or
templates have uncommitted changes (the published site would match no commit).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from generator import __version__
from generator.commands import ConfigError, config_from_args
from generator.output import MANIFEST


class DeployError(Exception):
    pass


def run(args) -> int:
    try:
        config = config_from_args(args)
        commit = deploy(config.root, config.output_path, _source_paths(config), args.remote, args.branch,
                        args.message, push=not args.no_push, allow_dirty=args.allow_dirty)
    except (ConfigError, DeployError) as err:
        print(f"antiphon: error: {err}", file=sys.stderr)
        return 1
    where = f"{args.remote}/{args.branch}" if not args.no_push else f"the local branch {args.branch}"
    print(f"Published {config.output_path.name}/ as commit {commit[:12]} on {where}")
    return 0


def _source_paths(config) -> list[Path]:
    """What the site is made from: a change here that is not committed makes the deploy refuse."""
    paths = [config.content_path, config.root / "antiphon.toml", config.root / "templates", config.root / "themes"]
    return [p for p in paths if p.exists()]


def deploy(root: Path, site: Path, sources: list[Path], remote: str, branch: str, message: str | None,
           push: bool = True, allow_dirty: bool = False) -> str:
    git = _Git(root)
    if not (site / "index.html").is_file() or not (site / MANIFEST).is_file():
        raise DeployError(f"{site} holds no built site; run 'antiphon build' first")
    if not allow_dirty:
        dirty = git.output("status", "--porcelain", "--", *[str(p) for p in sources])
        if dirty.strip():
            changed = ", ".join(line[3:] for line in dirty.splitlines()[:5])
            raise DeployError(f"uncommitted changes to the archive's sources ({changed}); commit them first "
                              "so the published site matches a commit, or pass --allow-dirty")
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
    return commit


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
