"""A client for Pagefind's service mode: one Pagefind process that indexes pages sent to it.

The ``pagefind`` Python package wraps the same protocol, but it polls for each answer (a tenth of a
second at a time) and runs on asyncio; a build sends thousands of pages and waits on each. This
client writes requests as they come and a reader thread hands each answer to whoever waits for it.

The protocol: each message is base64 of a JSON object, and messages are separated by commas, both
ways. A request is ``{"message_id": n, "payload": {"type": ...}}``; the answer carries the same id.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import threading
from typing import Iterable

from generator.search.records import Record


class PagefindError(Exception):
    pass


def executable() -> str:
    try:
        from pagefind_bin import get_executable  # the pagefind[bin] wheel's own binary
    except ImportError:
        raise PagefindError("Pagefind is not installed (pip install 'pagefind[bin]')") from None
    return str(get_executable())


class PagefindService:
    """One Pagefind process; index one group of pages at a time with :meth:`index`."""

    def __init__(self):
        self._errors = tempfile.TemporaryFile()  # a pipe nobody reads could fill and stop Pagefind
        try:
            self._process = subprocess.Popen([executable(), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._errors)
        except OSError as err:
            self._errors.close()
            raise PagefindError(f"could not run Pagefind: {err}") from None
        self._next_id = 0
        self._answers: dict[int, dict] = {}
        self._ended = False
        self._ready = threading.Condition()
        self._reader = threading.Thread(target=self._read_answers, daemon=True)
        self._reader.start()

    def __enter__(self) -> "PagefindService":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def index(self, pages: list[tuple[str, bytes | Record]], exclude: tuple[str, ...] = ()) -> dict[str, bytes]:
        """Index ``pages`` (url, HTML or record), in the order given, leaving out the elements that match the
        CSS selectors ``exclude``; returns the bundle's files by path."""
        index = self.open_index(exclude)
        try:
            index.add(pages)
            return index.files()
        finally:
            index.close()

    def open_index(self, exclude: tuple[str, ...] = ()) -> "PagefindIndex":
        """A new index, to add pages to and take its files from when it is complete."""
        config = {"exclude_selectors": list(exclude)} if exclude else {}
        return PagefindIndex(self, self._ask({"type": "NewIndex", "config": config})["index_id"])

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._reader.join(timeout=10)
        self._errors.close()

    def _ask(self, payload: dict) -> dict:
        return self._answer(self._send(payload))

    def _send(self, payload: dict) -> int:
        return self._send_json(json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _send_json(self, payload: bytes) -> int:
        """Send a request whose payload is ``payload``, JSON already."""
        self._next_id += 1
        message = b'{"message_id":%d,"payload":%s}' % (self._next_id, payload)
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
        except (OSError, ValueError):
            raise PagefindError(f"Pagefind stopped: {self._stderr()}") from None
        return self._next_id

    def _answer(self, message_id: int) -> dict:
        try:
            self._process.stdin.flush()
        except (OSError, ValueError):
            pass  # the reader notices the end and says why
        with self._ready:
            self._ready.wait_for(lambda: message_id in self._answers or self._ended)
            payload = self._answers.pop(message_id, None)
        if payload is None:
            raise PagefindError(f"Pagefind stopped: {self._stderr()}")
        if payload.get("type") == "Error":
            raise PagefindError(f"Pagefind: {payload.get('message')} ({payload.get('original_message') or ''})")
        return payload

    def _read_answers(self) -> None:
        messages = Messages()
        try:
            while chunk := self._process.stdout.read1(1 << 20):
                for message in messages.feed(chunk):
                    self._deliver(message)
        finally:
            with self._ready:
                self._ended = True
                self._ready.notify_all()

    def _deliver(self, message: bytes) -> None:
        answer = json.loads(base64.b64decode(message))
        with self._ready:
            self._answers[answer.get("message_id")] = answer["payload"]
            self._ready.notify_all()

    def _stderr(self) -> str:
        if self._process.poll() is None:
            return "no answer"
        try:
            self._errors.seek(0)
            said = self._errors.read(4000).decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            said = ""
        return said or f"exit status {self._process.returncode}"


class PagefindIndex:
    """One index of a Pagefind process, open for pages.

    A page added again under the same URL takes the place of the one added before, where it was:
    given the pages as they were, then those that changed, Pagefind writes the same bundle as given
    the pages as they are (tests/test_search.py checks it)."""

    def __init__(self, service: PagefindService, index_id: int):
        self._service, self._id = service, index_id

    def add(self, pages: Iterable[tuple[str, bytes | Record]]) -> None:
        """Add ``pages`` (url, HTML or a record of its words), in the order given: each is sent as soon
        as it comes."""
        self.add_entries(entry(url, page) for url, page in pages)

    def add_entries(self, entries: Iterable[bytes]) -> None:
        """Add pages as :func:`entry` wrote them, in the order given."""
        service = self._service
        into = b'{"index_id":%d,' % self._id
        waiting = [service._send_json(into + added[1:]) for added in entries]
        for message_id in waiting:
            service._answer(message_id)

    def files(self) -> dict[str, bytes]:
        """The bundle's files by path."""
        files = self._service._ask({"type": "GetFiles", "index_id": self._id})["files"]
        return {file["path"]: base64.b64decode(file["content"]) for file in files}

    def close(self) -> None:
        self._service._ask({"type": "DeleteIndex", "index_id": self._id})


def entry(url: str, page: bytes | Record) -> bytes:
    """The request that adds a page (url, HTML or a record) to an index, as JSON naming no index: one
    line of text (JSON strings hold no raw line break), which a build keeps (see kept.py)."""
    if isinstance(page, Record):  # its words as JSON made from their bytes, as a page's (see _json_text)
        return (b'{"type":"AddRecord","url":%s,"content":%s,"language":%s,"meta":%s,"filters":%s}'
                % (json.dumps(url).encode("ascii"), _json_text(page.content.encode("utf-8", "replace")),
                   json.dumps(page.language).encode("ascii"), json.dumps(page.meta, ensure_ascii=False).encode("utf-8"),
                   json.dumps(page.filters, ensure_ascii=False).encode("utf-8")))
    return b'{"type":"AddFile","url":%s,"file_path":null,"file_contents":%s}' % (json.dumps(url).encode("ascii"),
                                                                               _json_text(page))


# JSON strings must escape these; of the other bytes below 0x20, HTML of Antiphon's making holds none.
_JSON_ESCAPES = ((b"\\", b"\\\\"), (b'"', b'\\"'), (b"\n", b"\\n"), (b"\t", b"\\t"), (b"\r", b"\\r"))
_ALL_BUT_OTHER_CONTROLS = bytes(range(256)).translate(None, bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20)]))


def _json_text(html: bytes) -> bytes:
    """``html`` as a JSON string (its text as decoded, invalid UTF-8 replaced). Escaped as bytes when
    it can be: a page's text through json.dumps and back took three times as long, a second at 5,000
    conversations."""
    if html.translate(None, _ALL_BUT_OTHER_CONTROLS) or not _is_utf8(html):
        return json.dumps(html.decode("utf-8", "replace"), ensure_ascii=False).encode("utf-8")
    for raw, escaped in _JSON_ESCAPES:
        if raw in html:
            html = html.replace(raw, escaped)
    return b'"' + html + b'"'


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Messages:
    """Splits the stream of answers at the commas between them, in chunks as they arrive."""

    def __init__(self):
        self._pending = bytearray()

    def feed(self, chunk: bytes) -> list[bytes]:
        """The messages that ``chunk`` completes.

        Only the new bytes are searched for a comma, and what was delivered is not moved about: an
        answer of many megabytes arrives in many chunks, and one chunk can hold thousands of short
        answers; done naively, either is quadratic."""
        messages = []
        begin = 0
        while (end := chunk.find(b",", begin)) != -1:
            if self._pending:
                self._pending += chunk[begin:end]
                messages.append(bytes(self._pending))
                self._pending.clear()
            else:
                messages.append(chunk[begin:end])
            begin = end + 1
        self._pending += chunk[begin:]
        return messages
