"""Pagefind's bundles made byte-reproducible.

Pagefind writes its filter files in hash-map order, which differs from run to run;
:func:`canonicalize` sorts them and renames them (and the files that point at them) by
content, so the same pages always give the same bundle.
"""

from __future__ import annotations

import gzip
import hashlib
import json

_MAGIC = b"pagefind_dcd"


class SearchError(Exception):
    """A bundle Pagefind wrote that this code cannot read."""


def canonicalize(files: dict[str, bytes]) -> dict[str, bytes]:
    """Sort Pagefind's filter and meta files and name them by their content."""
    entry = json.loads(files["pagefind-entry.json"])
    result = dict(files)
    for language in entry["languages"].values():
        meta_name = f"pagefind.{language['hash']}.pf_meta"
        meta = _unpack(result.pop(meta_name))
        renamed = {}
        for filter_entry in meta[3]:
            name, old_hash = filter_entry
            old_file = f"filter/{old_hash}.pf_filter"
            data = _unpack(result.pop(old_file))
            data[1] = sorted(data[1], key=lambda item: item[0])  # [filter name, [[value, pages]…]]
            packed = _pack(data)
            new_hash = f"{old_hash.split('_')[0]}_{_short(packed, 7)}"
            result[f"filter/{new_hash}.pf_filter"] = packed
            renamed[name] = new_hash
        meta[3] = sorted([name, renamed[name]] for name, _ in meta[3])
        meta[5] = sorted(meta[5]) if len(meta) > 5 and isinstance(meta[5], list) else meta[5]
        packed_meta = _pack(meta)
        language["hash"] = f"{language['hash'].split('_')[0]}_{_short(packed_meta, 10)}"
        result[f"pagefind.{language['hash']}.pf_meta"] = packed_meta
    result["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return dict(sorted(result.items()))


def _short(data: bytes, length: int) -> str:
    return hashlib.sha1(data).hexdigest()[:length]


def _unpack(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(_MAGIC):
        raise SearchError("unexpected Pagefind file format")
    value, end = cbor_decode(raw, len(_MAGIC))
    if end != len(raw):
        raise SearchError("unexpected data after a Pagefind record")
    return value


def _pack(value) -> bytes:
    return gzip.compress(_MAGIC + cbor_encode(value), compresslevel=9, mtime=0)


# A minimal CBOR (RFC 8949) codec for the subset Pagefind writes: integers, byte and text
# strings, arrays, maps (kept as lists of pairs, in order), and the simple values.

def cbor_decode(data: bytes, position: int = 0):
    initial = data[position]
    major, info = initial >> 5, initial & 0x1F
    position += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], position
        raise SearchError(f"unsupported CBOR simple value {info}")
    if info < 24:
        argument = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        argument = int.from_bytes(data[position:position + size], "big")
        position += size
    else:
        raise SearchError("indefinite-length CBOR is not supported")
    if major == 0:
        return argument, position
    if major == 1:
        return -1 - argument, position
    if major in (2, 3):
        chunk = data[position:position + argument]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), position + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, position = cbor_decode(data, position)
            items.append(item)
        return items, position
    if major == 5:
        pairs = []
        for _ in range(argument):
            key, position = cbor_decode(data, position)
            value, position = cbor_decode(data, position)
            pairs.append((key, value))
        return CborMap(pairs), position
    raise SearchError(f"unsupported CBOR major type {major}")


class CborMap(list):
    """A CBOR map as an ordered list of (key, value) pairs."""


def cbor_encode(value) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 + [False, True, None].index(value)])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, CborMap):
        return _head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value)
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(cbor_encode(item) for item in value)
    raise SearchError(f"cannot encode {type(value).__name__} as CBOR")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise SearchError("integer too large for CBOR")
