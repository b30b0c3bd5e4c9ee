"""Conversation trees (ChatGPT's ``mapping``, Claude.ai's ``parent_message_uuid``): every branch kept.

An edited prompt or a regenerated answer leaves the old version in the export as another
child of the same parent. The page shows the branch the user last saw, and after each of
its messages the other versions beside it, each folded as one block with its own anchor:
the version and the replies that followed it (down its latest branch), then any versions
within that. Every node appears once; a tree of any depth or shape is walked without
recursion, and a node seen twice (a loop) is not walked again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable

Node = Hashable


def with_versions(children: dict, main: list) -> list[tuple[bool, list]]:
    """(is a version?, nodes) blocks in page order: each node of the ``main`` branch (root first)
    alone, followed by the other versions beside it; ``children`` maps a node (None: the roots)
    to its children, oldest first."""
    blocks: list[tuple[bool, list]] = []
    seen = set(main)
    for position, node in enumerate(main):
        blocks.append((False, [node]))
        parent = main[position - 1] if position else None
        for other in children.get(parent, []):
            if other not in seen:
                blocks += _version_blocks(other, children, seen)
    return blocks


def _version_blocks(start, children: dict, seen: set) -> list[tuple[bool, list]]:
    """The version that starts at ``start`` (down its latest branch), then the versions within it."""
    blocks = []
    pending = deque([start])
    while pending:
        first = pending.popleft()
        if first in seen:
            continue
        chain, node = [], first
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            later = [child for child in children.get(node, []) if child not in seen]
            node = later[-1] if later else None
            pending.extend(later[:-1])  # the other children: versions within this one
        blocks.append((True, chain))
    return blocks
