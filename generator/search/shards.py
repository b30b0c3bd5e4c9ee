"""Which search shard each conversation page belongs to.

A shard is a stable group of conversations, chosen by a hash of the slug: a conversation stays in its
shard as the archive grows, until the number of shards doubles (each shard then splits in two).
"""

from __future__ import annotations

import hashlib

FOLDER = "pagefind/"
# An edit indexes one shard again; every query searches every shard. Measured at 5,000 generated
# pages (2 cores, headless Chromium, served locally): Pagefind indexes 40 pages in 0.4 s, 80 in 0.9 s,
# 160 in 1.9 s, and a one-word search took 1.5-1.7 s over one index, 2.1-2.7 s over 64 shards,
# 2.7-4.2 s over 128 and 4.2-6.1 s over 256 (800 requests). So a shard holds about 80 pages, indexed
# on the other core while an edit's list pages are made, and an archive has at most 64 of them.
PAGES_PER_SHARD = 80
MAX_SHARDS = 64


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
