"""The preview server: serves the output folder under the site's base path, and tells open
pages to reload after a good rebuild or to show the error of a failed one.

Only the responses are changed: a small script is injected into HTML as it is
served, never into the files the build writes. Pages listen on a Server-Sent
Events stream at ``/__antiphon/events``.
"""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EVENTS = "/__antiphon/events"
SCRIPT = "/__antiphon/livereload.js"
_SCRIPT_SOURCE = Path(__file__).with_name("livereload.js")
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".js": "text/javascript; charset=utf-8", ".json": "application/json",
          ".md": "text/markdown; charset=utf-8", ".markdown": "text/markdown; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".xml": "application/xml", ".svg": "image/svg+xml",
          ".woff2": "font/woff2", ".ico": "image/x-icon", "": "application/octet-stream"}
KEEPALIVE_SECONDS = 15


class PreviewState:
    """What open pages should know: the build generation, and the current error if the last build failed."""

    def __init__(self):
        self.generation = 0
        self.problem: str | None = None
        self.stopping = False
        self.condition = threading.Condition()

    def reload(self) -> None:
        with self.condition:
            self.generation += 1
            self.problem = None
            self.condition.notify_all()

    def report(self, problem: str | None) -> None:
        with self.condition:
            self.problem = problem
            self.condition.notify_all()

    def stop(self) -> None:
        with self.condition:
            self.stopping = True
            self.condition.notify_all()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, base_path: str = "/", host: str = "127.0.0.1", port: int = 8000):
        self.root = root.resolve()
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.state = PreviewState()
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}{self.base_path}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="antiphon-preview", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.state.stop()
        self.shutdown()
        self.server_close()

    def resolve(self, url_path: str) -> Path | None:
        """The file for a URL path under the base path, or None; never anything outside the root, and
        never a hidden file (the build's own state: its manifest, lock and notes)."""
        relative = unquote(url_path[len(self.base_path):])
        if "\x00" in relative or "\\" in relative or len(relative) > 4096:
            return None
        parts = [p for p in relative.split("/") if p not in ("", ".")]
        if any(part.startswith(".") for part in parts):  # '..' too
            return None
        try:
            candidate = self.root.joinpath(*parts).resolve() if parts else self.root
        except (OSError, ValueError):  # a name too long for the file system, say
            return None
        if candidate != self.root and self.root not in candidate.parents:
            return None
        return candidate

    def handle_error(self, request, client_address) -> None:
        """A browser that goes away mid-answer is no error; anything else is printed once, briefly."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"antiphon: preview server: {type(error).__name__}: {error}", file=sys.stderr)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the terminal shows builds, not every request
        pass

    def do_HEAD(self):
        self._respond(head=True)

    def do_GET(self):
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS:
            return self._events(parse_qs(url.query).get("generation", ["-1"])[0])
        if url.path == SCRIPT:
            return self._send(HTTPStatus.OK, _SCRIPT_SOURCE.read_bytes(), _TYPES[".js"], head)
        base = self.server.base_path
        if not url.path.startswith(base):
            if url.path in ("/", base.rstrip("/")):
                return self._redirect(base)
            return self._not_found(head)
        file = self.server.resolve(url.path)
        if file is None:
            return self._not_found(head)
        if _is_dir(file):
            if not url.path.endswith("/"):
                return self._redirect(url.path + "/" + (f"?{url.query}" if url.query else ""))
            file = file / "index.html"
        try:
            if not file.is_file():
                return self._not_found(head)
        except OSError:
            return self._not_found(head)
        self._send_file(HTTPStatus.OK, file, head)

    def _send_file(self, status: HTTPStatus, file: Path, head: bool) -> None:
        suffix = file.suffix.lower()
        content_type = _TYPES.get(suffix) or mimetypes.guess_type(file.name)[0] or _TYPES[""]
        body = file.read_bytes()
        if suffix == ".html":
            body = self._inject(body)
        self._send(status, body, content_type, head)

    def _inject(self, body: bytes) -> bytes:
        tag = (f'<script src="{SCRIPT}" data-generation="{self.server.state.generation}" '
               f'data-events="{EVENTS}"></script>').encode()
        position = body.rfind(b"</body>")
        return body[:position] + tag + body[position:] if position != -1 else body + tag

    def _not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        if page.is_file():
            return self._send_file(HTTPStatus.NOT_FOUND, page, head)
        self._send(HTTPStatus.NOT_FOUND, b"Not found", _TYPES[".txt"], head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, generation: str) -> None:
        """A Server-Sent Events stream: 'reload' after a good build, 'problem'/'clear' around a failed one."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        number = generation.removeprefix("-")
        seen_generation = int(generation) if number.isascii() and number.isdigit() and len(number) < 12 else -1
        seen_problem: str | None = None
        try:
            while True:
                with state.condition:
                    state.condition.wait_for(
                        lambda: state.stopping or state.generation != seen_generation or state.problem != seen_problem,
                        timeout=KEEPALIVE_SECONDS)
                    if state.stopping:
                        return
                    generation_now, problem_now = state.generation, state.problem
                if problem_now != seen_problem:
                    name = "problem" if problem_now else "clear"
                    self._event(name, json.dumps({"text": problem_now or ""}))
                    seen_problem = problem_now
                elif generation_now != seen_generation:
                    if seen_generation >= 0:
                        self._event("reload", str(generation_now))
                    seen_generation = generation_now
                else:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _event(self, name: str, data: str) -> None:
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode("utf-8"))
        self.wfile.flush()
