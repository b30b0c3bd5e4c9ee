"""``antiphon new DIR``: a fresh archive repository, ready to build and to publish on GitHub Pages."""

from __future__ import annotations

import sys
from pathlib import Path

from generator import __version__

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"


def files_for(title: str) -> dict[str, str]:
    """Relative path -> text of every file ``antiphon new`` writes."""
    return {
        "antiphon.toml": (SCAFFOLD / "antiphon.toml").read_text("utf-8").replace("{title}", title.replace('"', "'")),
        "content/first-conversation.md": (SCAFFOLD / "sample.md").read_text("utf-8"),
        ".github/workflows/pages.yml": (SCAFFOLD / "pages.yml").read_text("utf-8")
                                       .replace("{requirement}", f"antiphon=={__version__}"),
        ".gitignore": (SCAFFOLD / "gitignore").read_text("utf-8"),
    }


def run(args) -> int:
    target: Path = args.directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"antiphon: error: {target} exists and is not an empty folder; nothing was written", file=sys.stderr)
        return 1
    title = args.title or target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "Archive"
    for relative, text in files_for(title).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    print(f"Created {target}/ with a sample transcript, antiphon.toml and a GitHub Pages workflow.\n"
          f"Next: cd {target} && antiphon serve")
    return 0
