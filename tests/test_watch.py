"""The watcher's event filter and coalescing, with synthetic events and with a real observer."""

from __future__ import annotations

import threading
import time

import pytest
from watchdog.events import (DirModifiedEvent, FileClosedNoWriteEvent, FileCreatedEvent, FileDeletedEvent,
                             FileModifiedEvent, FileMovedEvent, FileOpenedEvent, DirMovedEvent)

from generator.watch import ChangeCollector, start_observer


@pytest.fixture
def layout(tmp_path):
    for folder in ("content/sub", "themes/t/templates", "site"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "antiphon.toml").write_text("")
    collector = ChangeCollector(tmp_path / "content", [tmp_path / "themes/t/templates"],
                                [tmp_path / "antiphon.toml"], ignored=[tmp_path / "site"])
    return tmp_path, collector


@pytest.mark.parametrize("name", [
    "4913", ".a.md.swp", ".a.md.swx", "a.md~", "#a.md#", ".#a.md", "a.md___jb_tmp___", "a.md___jb_old___",
    ".goutputstream-XYZ", ".DS_Store", "a.md.tmp", "a.md.kate-swp", "notes.pdf",
])
def test_editor_litter_and_other_files_are_ignored(layout, name):
    root, collector = layout
    collector.on_any_event(FileModifiedEvent(str(root / "content" / name)))
    assert collector.wait(timeout=0.05) == set()


def test_transcripts_theme_files_and_the_config_count(layout):
    root, collector = layout
    for path in ("content/a.md", "content/sub/b.txt", "themes/t/templates/base.html", "antiphon.toml",
                 "content/sub/.aider.chat.history.md"):  # a dot file, but aider's chats
        collector.on_any_event(FileModifiedEvent(str(root / path)))
    assert collector.wait(timeout=1) == {root / "content/a.md", root / "content/sub/b.txt",
                                         root / "themes/t/templates/base.html", root / "antiphon.toml",
                                         root / "content/sub/.aider.chat.history.md"}


def test_the_output_folder_and_other_project_files_never_count(layout):
    root, collector = layout
    for path in ("site/index.html", "site/c/x/a.md", "README.md", "content/.hidden/a.md"):
        collector.on_any_event(FileCreatedEvent(str(root / path)))
    assert collector.wait(timeout=0.05) == set()


def test_events_that_change_nothing_are_ignored(layout):
    root, collector = layout
    collector.on_any_event(FileOpenedEvent(str(root / "content/a.md")))
    collector.on_any_event(FileClosedNoWriteEvent(str(root / "content/a.md")))
    collector.on_any_event(DirModifiedEvent(str(root / "content/sub")))
    assert collector.wait(timeout=0.05) == set()


def test_moves_in_out_and_renames_count_by_either_end(layout):
    root, collector = layout
    collector.on_any_event(FileMovedEvent(str(root / "content/a.md"), str(root / "elsewhere.md")))  # moved out
    assert collector.wait(timeout=1) == {root / "content/a.md"}
    collector.on_any_event(FileMovedEvent(str(root / "tmp/x.md"), str(root / "content/x.md")))  # moved in
    assert collector.wait(timeout=1) == {root / "content/x.md"}
    collector.on_any_event(DirMovedEvent(str(root / "content/sub"), str(root / "content/renamed")))
    assert collector.wait(timeout=1) == {root / "content/sub", root / "content/renamed"}


def test_deletions_count(layout):
    root, collector = layout
    collector.on_any_event(FileDeletedEvent(str(root / "content/a.md")))
    assert collector.wait(timeout=1) == {root / "content/a.md"}


def test_an_atomic_save_through_a_temp_file_is_one_batch(layout):
    """vim: probe 4913, write a.md~ backup, rename over; JetBrains: ___jb_tmp___ then rename."""
    root, collector = layout
    content = str(root / "content")
    for event in (FileCreatedEvent(content + "/4913"), FileDeletedEvent(content + "/4913"),
                  FileMovedEvent(content + "/a.md", content + "/a.md~"), FileCreatedEvent(content + "/a.md"),
                  FileModifiedEvent(content + "/a.md"), FileDeletedEvent(content + "/a.md~"),
                  FileCreatedEvent(content + "/b.md___jb_tmp___"),
                  FileMovedEvent(content + "/b.md___jb_tmp___", content + "/b.md")):
        collector.on_any_event(event)
    assert collector.wait(timeout=1) == {root / "content/a.md", root / "content/b.md"}
    assert collector.wait(timeout=0.05) == set()


def test_a_burst_is_reported_once_after_it_goes_quiet(layout):
    root, collector = layout

    def burst():
        for n in range(10):
            collector.on_any_event(FileModifiedEvent(str(root / f"content/{n}.md")))
            time.sleep(0.01)

    thread = threading.Thread(target=burst)
    started = time.monotonic()
    thread.start()
    changes = collector.wait(timeout=2, quiet=0.05)
    thread.join()
    assert len(changes) == 10
    assert time.monotonic() - started >= 0.09 + 0.05 * 0.9


@pytest.mark.parametrize("poll", [False, True], ids=["native", "polling"])
def test_a_real_observer_sees_create_modify_rename_and_delete(layout, poll):
    root, collector = layout
    observer = start_observer(collector, poll=poll)
    timeout = 5
    try:
        time.sleep(0.2)
        target = root / "content/sub/new.md"
        target.write_text("# A ↔ B\n")
        assert target in collector.wait(timeout=timeout)
        target.write_text("# A ↔ B\n\nmore\n")
        assert target in collector.wait(timeout=timeout)
        renamed = root / "content/renamed.md"
        target.rename(renamed)
        assert renamed in collector.wait(timeout=timeout)
        renamed.unlink()
        assert renamed in collector.wait(timeout=timeout)
        (root / "site/index.html").write_text("output")
        (root / "content/.a.md.swp").write_text("swap")
        assert collector.wait(timeout=1.2) == set()
    finally:
        observer.stop()
        observer.join()
