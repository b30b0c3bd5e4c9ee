"""Which search shard each conversation page belongs to.

A shard is a stable group of conversations, chosen by a hash of the slug: a conversation stays in its
shard as the archive grows, until the number of shards doubles (each shard then splits in two).
"""

from __future__ import annotations

import hashlib

FOLDER = "pagefind/"
PAGES_PER_SHARD = 48  # an edit indexes one shard again: about this many pages, well under a second
MAX_SHARDS = 256  # each shard costs the browser a few small requests per query


def shard_count(pages: int) -> int:
    """A power of two, so that when it doubles each shard splits in two."""
    count = 1
    while count * PAGES_PER_SHARD < pages and count < MAX_SHARDS:
        count *= 2
    return count


def shard_of(slug: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(slug.encode("utf-8", "surrogatepass")).digest()[:4], "big") % count


def shard_folder(number: int) -> str:
    return f"{FOLDER}{number:03d}/"
