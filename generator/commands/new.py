"""``antiphon new DIR``: a fresh archive repository, ready to build and to publish on GitHub Pages."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

from generator import __version__

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"
PYPI = "https://pypi.org/pypi/antiphon/{version}/json"


def files_for(title: str, requirement: str) -> dict[str, str]:
    """Relative path -> text of every file ``antiphon new`` writes."""
    return {
        "antiphon.toml": (SCAFFOLD / "antiphon.toml").read_text("utf-8").replace("{title}", title.replace('"', "'")),
        "content/first-conversation.md": (SCAFFOLD / "sample.md").read_text("utf-8"),
        ".github/workflows/pages.yml": (SCAFFOLD / "pages.yml").read_text("utf-8")
                                       .replace("{requirement}", requirement.replace('"', "")),
        ".gitignore": (SCAFFOLD / "gitignore").read_text("utf-8"),
    }


def run(args) -> int:
    target: Path = args.directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"antiphon: error: {target} exists and is not an empty folder; nothing was written", file=sys.stderr)
        return 1
    wheel = Path(args.install) if args.install and args.install.endswith(".whl") else None
    if wheel is not None and not wheel.is_file():
        print(f"antiphon: error: no wheel at {wheel}; nothing was written", file=sys.stderr)
        return 1
    requirement, source = (f"./vendor/{wheel.name}", "the wheel copied to vendor/ (commit it)") if wheel \
        else (args.install, "--install") if args.install else workflow_requirement()
    title = args.title or target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "Archive"
    for relative, text in files_for(title, requirement).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    if wheel:
        (target / "vendor").mkdir(exist_ok=True)
        shutil.copyfile(wheel, target / "vendor" / wheel.name)
    print(f"Created {target}/ with a sample transcript, antiphon.toml and a GitHub Pages workflow.\n"
          f"The workflow installs {requirement} ({source or 'which no package index has yet: see below'}).\n"
          f"Next: cd {target} && antiphon serve")
    if not source:
        print(f"antiphon: warning: Antiphon {__version__} is not on PyPI and was not installed from a git "
              "repository others can reach, so the workflow cannot install it yet. Run 'antiphon new' with "
              "--install 'antiphon @ git+https://github.com/OWNER/antiphon@COMMIT' or --install a .whl file "
              "(copied to vendor/ for you to commit).", file=sys.stderr)
    return 0


def workflow_requirement() -> tuple[str, str]:
    """What the generated workflow installs, and where that was found ('' when nowhere reachable):
    the git commit this copy was installed from, else this version from PyPI, else the commit of the
    git checkout it runs from when a remote has it."""
    origin = _direct_url()
    vcs = origin.get("vcs_info", {})
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"antiphon @ git+{origin['url']}@{vcs['commit_id']}", "the git commit this copy was installed from"
    if _on_pypi(__version__):
        return f"antiphon=={__version__}", "PyPI"
    checkout = origin.get("url", "").removeprefix("file://")
    pushed = _pushed_commit(Path(checkout)) if checkout else None
    if pushed:
        return f"antiphon @ git+{pushed[0]}@{pushed[1]}", "the pushed commit of the checkout this copy runs from"
    return f"antiphon=={__version__}", ""


def _direct_url() -> dict:
    """PEP 610: where pip installed this copy from ({} for an ordinary install from an index)."""
    try:
        text = metadata.distribution("antiphon").read_text("direct_url.json")
        return json.loads(text) if text else {}
    except (metadata.PackageNotFoundError, ValueError):
        return {}


def _on_pypi(version: str) -> bool:
    try:
        with urllib.request.urlopen(PYPI.format(version=version), timeout=5) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _pushed_commit(checkout: Path) -> tuple[str, str] | None:
    """(remote URL, commit) when the checkout's HEAD is on a branch of its remote 'origin'."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(checkout), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""
    url, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    if not url.startswith(("https://", "git@", "ssh://")) or not commit:
        return None
    if git("status", "--porcelain", "--untracked-files=no") or not git("branch", "-r", "--contains", commit):
        return None  # local changes, or a commit the remote does not have: CI could not install it
    return url, commit
