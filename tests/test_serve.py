"""``antiphon serve`` end to end: a subprocess, real files edited on disk, pages checked over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys

import pytest

from generator.serve import PreviewServer
from tests.conftest import ROOT, transcript
from tests.servecheck import EventStream, serve

PAGE = "c/2025-01-01-alice-bob/"


def edit(project, name, old, new):
    path = project / "content" / name
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def generation_of(page_html: str) -> int:
    return int(re.search(r'data-generation="(\d+)"', page_html).group(1))


def test_preview_serves_under_the_base_path_with_reload_script(sample_project):
    with serve(sample_project) as server:
        assert server.url.endswith("/my-archive/")
        status, body, headers = server.get(PAGE)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<script src="/__antiphon/livereload.js"' in body
        assert server.get("assets/style.css")[2]["Content-Type"] == "text/css; charset=utf-8"
        assert server.get(PAGE + "conversation.json")[2]["Content-Type"] == "application/json"
        root = server.url.replace("/my-archive/", "/")
        import urllib.request
        assert urllib.request.urlopen(root, timeout=5).geturl() == server.url  # / redirects to the base path
    built = (sample_project / "site" / PAGE / "index.html").read_text("utf-8")
    assert "livereload" not in built  # only served pages carry the script


@pytest.mark.parametrize("path", ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd",
                                  "c/..%5c..%5cantiphon.toml", "..%00/x"])
def test_requests_cannot_leave_the_output_folder(sample_project, tmp_path, path):
    (sample_project / "site").mkdir()
    server = PreviewServer(sample_project / "site", "/my-archive/", port=0)
    (sample_project / "site/404.html").write_text("<p>theme 404</p></body>")
    server.start()
    try:
        connection = socket.create_connection(server.server_address[:2])
        connection.sendall(f"GET /my-archive/{path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
        assert response.startswith(b"HTTP/1.1 404"), response[:80]
        assert b"theme 404" in response and b"[tool" not in response and b"root:" not in response
    finally:
        server.stop()


def test_missing_pages_get_the_themes_404(sample_project):
    with serve(sample_project) as server:
        status, body, _ = server.get("no/such/page/")
        assert status == 404 and "Page not found" in body


def test_edit_add_rename_and_delete_end_in_the_right_site(sample_project):
    with serve(sample_project) as server:
        edit(sample_project, "first.md", "Hello, Bob.", "Hello, Bob, edited on disk.")
        server.wait_for(lambda: "edited on disk" in server.get(PAGE)[1], message="edited text")

        (sample_project / "content/added.md").write_text(
            transcript(title="Alice ↔ Eve", header="**Started:** 2026-02-02 02:02:02"), "utf-8")
        server.wait_for(lambda: server.get("c/2026-02-02-alice-eve/")[0] == 200, message="new page")
        # A commit puts new pages in place before the pages that link to them: the index follows.
        server.wait_for(lambda: "c/2026-02-02-alice-eve/" in server.get("")[1], message="new page listed")

        (sample_project / "content/archive").mkdir()
        (sample_project / "content/added.md").rename(sample_project / "content/archive/moved.md")
        server.wait_for(lambda: json.loads(server.get("c/2026-02-02-alice-eve/conversation.json")[1])["source"]
                        == "archive/moved.md", message="moved source")

        (sample_project / "content/archive/moved.md").unlink()
        server.wait_for(lambda: server.get("c/2026-02-02-alice-eve/")[0] == 404, message="deleted page")
        assert "alice-eve" not in server.get("")[1]
        assert "alice-eve" not in server.get("speakers/")[1]


def test_reload_events_and_error_overlay_state(sample_project):
    with serve(sample_project) as server:
        status, body, _ = server.get(PAGE)
        stream = EventStream(server.url, generation_of(body))
        try:
            edit(sample_project, "first.md", "Hello, Bob.", "Hello, Bob! (1)")
            server.wait_for(lambda: [e for e in stream.events if e[0] == "reload"], message="reload event")

            edit(sample_project, "first.md", "# Alice ↔ Bob", "Alice and Bob, no title line")
            problem = server.wait_for(lambda: [e for e in stream.events if e[0] == "problem"], message="problem")
            assert "content/first.md:1: error: expected a title line" in json.loads(problem[0][1])["text"]
            assert "Hello, Bob! (1)" in server.get(PAGE)[1]  # still the last good build
            assert "Rebuild failed" in "".join(server.output)

            edit(sample_project, "first.md", "Alice and Bob, no title line", "# Alice ↔ Bob")
            server.wait_for(lambda: [e for e in stream.events if e[0] == "clear"], message="clear")
        finally:
            stream.close()


def test_config_changes_rebuild_everything(sample_project):
    with serve(sample_project) as server:
        config = sample_project / "antiphon.toml"
        config.write_text(config.read_text("utf-8").replace("Fixture archive", "Renamed archive"), "utf-8")
        server.wait_for(lambda: "Renamed archive" in server.get("tags/")[1], message="new title")
        config.write_text("not_a_key = 1\n" + config.read_text("utf-8"), "utf-8")
        server.wait_for(lambda: "unknown key 'not_a_key'" in "".join(server.output), message="config error")
        assert server.get("")[0] == 200


def test_ctrl_c_stops_cleanly_and_frees_the_port(sample_project):
    with serve(sample_project) as server:
        port = int(server.url.split(":")[2].split("/")[0])
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=10) == 0
        server.wait_for(lambda: "Stopped." in "".join(server.output), message="Stopped.")
        assert "Traceback" not in "".join(server.output)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


def test_the_search_index_follows_edits_after_a_pause(sample_project):
    with serve(sample_project) as server:
        entry = sample_project / "site/pagefind/000/pagefind-entry.json"
        before = entry.read_text()
        edit(sample_project, "first.md", "Hello, Bob.", "Hello, Bob, quasar.")
        server.wait_for(lambda: "quasar" in server.get(PAGE)[1], message="page rebuilt")
        server.wait_for(lambda: "Search index updated" in "".join(server.output), timeout=15, message="index")
        assert entry.read_text() != before
        fragments = (sample_project / "site/pagefind/000/fragment").iterdir()
        import gzip
        assert any(b"quasar" in gzip.decompress(f.read_bytes()) for f in fragments)


def _raw(server: PreviewServer, request: bytes, read: bool = True) -> bytes:
    connection = socket.create_connection(server.server_address[:2])
    connection.sendall(request)
    response = b""
    while read and (chunk := connection.recv(65536)):
        response += chunk
    connection.close()
    return response


def test_hostile_requests_get_answers_not_tracebacks(sample_project, capfd):
    site = sample_project / "site"
    site.mkdir()
    (site / "404.html").write_text("<p>theme 404</p></body>")
    (site / ".antiphon-manifest.json").write_text('{"files": {}}')
    (site / "index.html").write_text("<p>home</p></body>" * 2000)
    server = PreviewServer(site, "/", port=0)
    server.start()
    try:
        for generation in ("²", "9" * 5000, "-", "1e9", "%00"):
            response = _raw(server, f"GET /__antiphon/events?generation={generation} HTTP/1.1\r\nHost: x\r\n\r\n"
                            .encode(), read=False)
        assert _raw(server, b"GET /.antiphon-manifest.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    ).startswith(b"HTTP/1.1 404")
        long_path = "/" + "a" * 10_000
        assert _raw(server, f"GET {long_path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
                    ).startswith(b"HTTP/1.1 404")
        for _ in range(5):  # a browser that asks and goes away before the answer
            response = _raw(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", read=False)
        assert _raw(server, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 200")
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err
    del response


def test_ctrl_c_stops_it_even_when_started_with_sigint_ignored(sample_project):
    """A child inherits an ignored SIGINT (and Python then keeps ignoring it): serve takes it back."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=sample_project,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        while (line := process.stdout.readline()) and "Serving" not in line:
            pass
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()
