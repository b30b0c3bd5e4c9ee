"""Which search shard each conversation page belongs to.

A shard is a stable group of conversations, chosen by a hash of the slug: a conversation stays in its
shard as the archive grows, until the number of shards doubles (each shard then splits in two).
"""

from __future__ import annotations

import functools
import hashlib

FOLDER = "pagefind/"
# An edit indexes one shard again; every query searches every shard. At 5,000 generated pages on
# 2 cores (bench/search_latency.py: headless Chromium, served locally, medians of three), Pagefind
# took 0.48 s a shard of 39 pages, 0.97 s of 78 and 1.95 s of 156, and a one-word search showed its
# first result in 1.49 s over one index, 2.07 s over 64 shards, 3.04 s over 128 and 5.73 s over 256
# (798 requests). So a shard holds about 80 pages, indexed on the other core while an edit's list
# pages are made, and an archive has 64 of them until they would pass 200 pages: at 50,000 pages,
# 64 shards of 780 took the build to 1,045 MB (each shard's bundle passes through it as base64 in
# JSON, three at once), past the 1 GB it must stay under.
PAGES_PER_SHARD = 80
FEW_SHARDS = 64
MOST_PAGES_PER_SHARD = 200
MAX_SHARDS = 256


def shard_count(pages: int) -> int:
    """A power of two, so that when it doubles each shard splits in two."""
    count = 1
    while count < MAX_SHARDS and count * (PAGES_PER_SHARD if count < FEW_SHARDS else MOST_PAGES_PER_SHARD) < pages:
        count *= 2
    return count


@functools.lru_cache(maxsize=1 << 17)  # asked for each page three times in an edit's build
def shard_of(slug: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(slug.encode("utf-8", "surrogatepass")).digest()[:4], "big") % count


def shard_folder(number: int) -> str:
    return f"{FOLDER}{number:03d}/"
