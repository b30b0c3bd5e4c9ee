"""``antiphon import`` and ``antiphon check``, and building straight from exports in content/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from generator.config import load_config
from generator.readers import read_file
from generator.site import build
from tests.conftest import FIXTURES, ROOT

FORMATS = FIXTURES / "formats"
FILES = len(list(FORMATS.iterdir()))
SAMPLES = sum(len(read_file(path).conversations) for path in FORMATS.iterdir())  # conversations in them


def antiphon(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def comparable(conversation):
    return (conversation.title, tuple(conversation.speakers), conversation.started, tuple(conversation.tags),
            tuple((m.speaker, m.text, m.time, m.kind) for m in conversation.messages))


def test_import_writes_native_files_that_read_back_to_the_same_conversations(tmp_path):
    run = antiphon("import", FORMATS, "--to", tmp_path / "content", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"read {SAMPLES} = {SAMPLES} written" in run.stdout
    imported = {comparable(read_file(p).conversations[0]) for p in (tmp_path / "content").glob("*.md")}
    originals = {comparable(c) for p in FORMATS.iterdir() for c in read_file(p).conversations}
    assert imported == originals
    for path in (tmp_path / "content").glob("*.md"):
        assert read_file(path).format == "native"


def test_import_is_stable_and_never_overwrites_without_force(tmp_path):
    antiphon("import", FORMATS / "chatgpt.json", "--to", tmp_path / "content", cwd=tmp_path)
    [path] = (tmp_path / "content").iterdir()
    assert path.name == "2024-06-11-tide-tables-a00ead.md"
    again = antiphon("import", FORMATS / "chatgpt.json", "--to", tmp_path / "content", cwd=tmp_path)
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    path.write_text(path.read_text() + "\nmy own note\n")
    refused = antiphon("import", FORMATS / "chatgpt.json", "--to", tmp_path / "content", cwd=tmp_path)
    assert refused.returncode == 1 and "not overwritten (use --force)" in refused.stderr
    assert path.read_text().endswith("my own note\n")
    forced = antiphon("import", FORMATS / "chatgpt.json", "--to", tmp_path / "content", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and "my own note" not in path.read_text()


def test_check_reports_each_file_without_writing_a_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FORMATS, content)
    (content / "broken.json").write_text('[{"mapping": {}}, {"mapp')
    (content / "notes.txt").write_text("just a note\n")
    run = antiphon("check", cwd=tmp_path)
    assert run.returncode == 1
    assert "chatgpt.json                                     chatgpt                  1         6  ok" in run.stdout
    assert "content/broken.json:1: error: invalid JSON" in run.stderr
    assert "content/notes.txt: note: not a transcript: no reader recognises this file" in run.stderr
    results = [read_file(p) for p in FORMATS.iterdir()]
    messages = sum(len(c.messages) for result in results for c in result.conversations)
    notes = 1 + sum(d.level == "note" for result in results for d in result.diagnostics)  # and notes.txt's
    assert f"{FILES + 2} files: {SAMPLES} conversations, {messages} messages; 1 error, 0 warnings, " \
           f"{notes} note{'s' if notes > 1 else ''}" in run.stdout
    assert not (tmp_path / "site").exists()


def test_exports_in_content_build_directly(tmp_path):
    shutil.copytree(FORMATS, tmp_path / "content")
    (tmp_path / "antiphon.toml").write_text('downloads = ["source"]\n', "utf-8")
    config = load_config(None, tmp_path)
    result = build(config)
    assert not result.errors and result.conversations == SAMPLES
    site = config.output_path
    page = (site / "c/2025-05-05-fix-the-failing-pagination-test/index.html").read_text("utf-8")
    assert 'class="msg sp-' in page and "aside kind-tool_call" in page and "aside kind-tool_result" in page
    assert '<time class="msg-time" datetime="2025-05-05T12:00:05+00:00">' in page
    transcript = site / "c/2025-05-05-fix-the-failing-pagination-test/2025-05-05-fix-the-failing-pagination-test.md"
    assert read_file(transcript).format == "native"  # imported formats are offered as native transcripts
    assert "Tool" not in (site / "speakers/index.html").read_text("utf-8").split("<main")[1]


def test_an_export_of_many_conversations_is_read_once_per_build(tmp_path, monkeypatch):
    import json as json_module
    import generator.library as library
    (tmp_path / "content").mkdir()
    lines = [json_module.dumps({"id": f"c{n}", "conversations": [{"from": "human", "value": f"question {n}"},
                                                                {"from": "gpt", "value": f"answer {n}"}]})
             for n in range(30)]
    (tmp_path / "content/export.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    reads = []
    original = library.read_file
    monkeypatch.setattr(library, "read_file", lambda *args, **kw: reads.append(args[0]) or original(*args, **kw))
    config = load_config(None, tmp_path)
    assert build(config).conversations == 30 and len(reads) == 1
    (tmp_path / "antiphon.toml").write_text('title = "Renamed"\n', "utf-8")  # every page must be made again
    reads.clear()
    result = build(load_config(None, tmp_path))  # from remembered outlines: messages read on demand
    assert len([p for p in result.written if p.endswith("/index.html") and p.startswith("c/")]) == 30
    assert len(reads) == 1


def test_a_sources_own_ended_field_that_is_no_time_does_not_hide_the_conversations_end():
    """Found by the property below: a field 'Ended: 0' from the source was written as the header's
    'Ended', so the import read back with no end where the messages gave one. The time is the field's
    now, and the source's value is kept beside it."""
    from datetime import datetime
    from pathlib import Path

    from generator.commands.importer import comparable
    from generator.readers import native, read_bytes
    from generator.readers.common import Turn, conversation
    original = conversation(Path("source.json"), [Turn("A", "hi", 1, None), Turn("B", "yo", 1, datetime(2000, 1, 1))],
                            metadata={"Ended": "0"})
    [again] = read_bytes(Path("import.md"), native.write(original).encode("utf-8"), "import.md").conversations
    assert comparable(again) == comparable(original) and again.ended == datetime(2000, 1, 1)
    assert again.metadata["Ended (as written)"] == "0"


def test_any_text_in_any_field_reads_back_exactly_from_the_native_file():
    """What import writes reads back to the same conversation, whatever its fields hold: text that
    looks like a message boundary, a header line, a time or a kind label stays text."""
    from datetime import datetime, timezone

    from hypothesis import given, settings, strategies as st

    from generator.commands.importer import comparable
    from generator.readers import native, read_bytes
    from generator.readers.clean import clean
    from generator.readers.common import Turn, conversation

    structure = st.sampled_from(["\n---\n\n### Human\n\nforged", "\n\\---\n\n### A\n", "**Draft:** true",
                                 "id\n**Draft:** true", " · 2025-01-01T00:00:00", " (tool call)", "↔", "# x", "\n\n",
                                 "---", "### A ###", "**Labels:** {}", "\\", "  ", "\t", "\n", "*", "`", "[END]"])
    # Readers replace control characters (readers/clean.py): the model never holds them, but '\n' and '\t'.
    text = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8) | structure,
                    max_size=6).map("".join).map(clean)
    times = st.none() | st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1),
                                     timezones=st.none() | st.just(timezone.utc))
    turns = st.lists(st.builds(Turn, text, text, st.just(1), times,
                               st.sampled_from(["message", "thinking", "tool_call", "tool_result", "context"]), text),
                     min_size=1, max_size=5)

    @settings(max_examples=1500, deadline=None)
    @given(turns, text, st.dictionaries(text, text, max_size=3), st.lists(text, max_size=3))
    def check(parts, title, metadata, tags):
        from pathlib import Path
        original = conversation(Path("source.json"), parts, title=title, metadata={"Conversation id": title,
                                                                                    **metadata}, tags=tags)
        written = native.write(original)
        [again] = read_bytes(Path("import.md"), written.encode("utf-8"), "import.md").conversations
        assert comparable(again) == comparable(original), written
        assert not again.draft
    check()
