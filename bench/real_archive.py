"""How well Antiphon reads an archive it did not make: who spoke, what each conversation is called.

    python bench/real_archive.py PATH [PATH…] [--names]

Reads every file as ``antiphon build`` would (readers, then the site's names and titles from
``antiphon.toml`` in the current folder, if any) and prints, per archive:

- named: the share of conversations whose every speaker is named for a model or person, not
  left as a bare seat ('A', 'user', 'Claude 1', 'Gemini 2': a family word and a seat number);
- distinct titles: distinct titles / conversations, as the site shows them (those several share
  told apart by their start: archive.distinguish_titles);
- stray speakers: conversations with a speaker who speaks once, beside one who speaks more, and
  is no seat of the run (no label from the source, no seat number in the name): 'TASK COMPLETED',
  'Symbol', 'Backrooms Run'; the names are listed, to be looked at;
- the share of messages (and of their text) that the fast path renders.

Archives are never committed (fetch them with the search tool). Run it with another checkout's
code on PYTHONPATH to measure that version (the figures of the closing notes: before and after).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.archive import distinguish_titles  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.diagnostics import SourceError  # noqa: E402
from generator.readers import read_file  # noqa: E402
from generator.render.fast import render_simple  # noqa: E402

SEAT = re.compile(r"^(?:a|b|user|assistant|human|model|ai|(?:claude|gpt|gemini|llama|i-405)(?: \d+)?)$", re.I)
SEATED = re.compile(r"\S \d{1,2}$|\([^()]{1,12}\)$")


def conversations(root: Path):
    try:
        from generator.identity import Identity
        identity = Identity.of(load_config(None, Path.cwd()))
    except ImportError:  # an older version, before identity.py
        identity = None
    try:
        from generator.sources import discover
        found = discover(root)
        files = [Path(f.path) for f in getattr(found, "files", found)]
    except ImportError:
        files = sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        try:
            result = read_file(path, str(path), identity) if identity else read_file(path, str(path))
        except SourceError:
            continue
        yield from result.conversations


def stray(conversation) -> list[str]:
    counts = Counter(m.speaker for m in conversation.messages if m.kind == "message" and not m.label)
    if not any(count >= 2 for count in counts.values()):
        return []
    return [name for name, count in counts.items() if count == 1 and not SEATED.search(name)]


def measure(root: Path, show_names: bool) -> None:
    total = named = 0
    titles: Counter = Counter()
    strays: Counter = Counter()
    with_stray = 0
    speakers: Counter = Counter()
    messages = fast = chars = fast_chars = 0
    read = list(conversations(root))
    distinguish_titles(read)
    for conversation in read:
        total += 1
        titles[conversation.title] += 1
        spoken = {m.speaker for m in conversation.messages if m.kind == "message"}
        speakers.update(spoken)
        named += all(not SEAT.match(name) for name in spoken)
        found = stray(conversation)
        with_stray += bool(found)
        strays.update(found)
        for message in conversation.messages:
            messages += 1
            chars += len(message.text)
            if render_simple(message.text) is not None:
                fast += 1
                fast_chars += len(message.text)
    if not total:
        print(f"{root}: no conversations")
        return
    print(f"{root}: {total} conversations")
    print(f"  named: {100 * named / total:.1f} %")
    print(f"  distinct titles: {100 * len(titles) / total:.1f} % ({len(titles)})")
    print(f"  conversations with a stray speaker: {with_stray}" + (f" ({', '.join(n for n, _ in strays.most_common(6))})"
                                                                 if strays else ""))
    print(f"  fast path: {100 * fast / max(messages, 1):.1f} % of {messages} messages, "
          f"{100 * fast_chars / max(chars, 1):.1f} % of the text")
    if show_names:
        for name, count in speakers.most_common(40):
            print(f"    {count:5d}  {name}")
        for title, count in titles.most_common(5):
            print(f"    title x{count}: {title}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--names", action="store_true", help="list the speakers and the commonest titles")
    args = parser.parse_args()
    for path in args.paths:
        measure(path, args.names)


if __name__ == "__main__":
    main()
