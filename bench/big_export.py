"""Generate a large ChatGPT-style ``conversations.json`` (for measuring reader memory).

    python bench/big_export.py OUT.json --megabytes 200
    /usr/bin/time -v antiphon check DIR_WITH_OUT   # 'Maximum resident set size'
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import _line  # noqa: E402


def conversation(rng: random.Random, number: int) -> dict:
    mapping, parent = {"root": {"id": "root", "message": None, "parent": None, "children": []}}, "root"
    created = 1_700_000_000 + number * 3600
    for index in range(rng.randint(10, 60)):
        node = f"n{index}"
        role = "user" if index % 2 == 0 else "assistant"
        text = "\n".join(_line(rng) for _ in range(rng.randint(1, 12)))
        mapping[node] = {"id": node, "parent": parent, "children": [],
                         "message": {"author": {"role": role}, "create_time": created + index * 20,
                                     "content": {"content_type": "text", "parts": [text]},
                                     "metadata": {"model_slug": "gpt-4o"} if role == "assistant" else {}}}
        mapping[parent]["children"].append(node)
        parent = node
    return {"title": f"Conversation {number}", "create_time": created, "update_time": created + 3000,
            "conversation_id": f"id-{number}", "mapping": mapping, "current_node": parent}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--megabytes", type=float, default=200)
    args = parser.parse_args()
    rng, limit, written, number = random.Random(3), args.megabytes * 1e6, 0, 0
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write("[")
        while written < limit:
            chunk = ("," if number else "") + json.dumps(conversation(rng, number))
            handle.write(chunk)
            written += len(chunk)
            number += 1
        handle.write("]")
    print(f"{number} conversations, {written / 1e6:.0f} MB in {args.out}")


if __name__ == "__main__":
    main()
