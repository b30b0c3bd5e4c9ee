"""Every reader on realistic fixtures: detection, golden models, and errors that name line and JSON path."""

from __future__ import annotations

import html
import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from generator.archive import drop_duplicates
from generator.config import load_config
from generator.diagnostics import SourceError
from generator.identity import Identity
from generator.pages import conversation_json
from generator.readers import native, read_bytes, read_file
from generator.readers.discord import CSV_HEADER as DiscordCSV_HEADER
from generator.render import MessageRenderer
from generator.site import build
from tests.conftest import FIXTURES, GOLDEN, UPDATE_GOLDEN

FORMATS = FIXTURES / "formats"
EXPECTED_READER = {
    "backrooms.txt": "backrooms", "claude1_claude2_cli-explore_20240321_101500.txt": "backrooms",
    "chatgpt.json": "chatgpt", "claude_ai.json": "claude.ai", "sharegpt.jsonl": "sharegpt",
    "openai.json": "openai", "claude_code.jsonl": "claude-code", "runner.json": "runner",
    "claude_code_modern.jsonl": "claude-code", "claude_code_stream.jsonl": "claude-code", "cctrace_export.md": "cctrace",
    "gemini_cli.json": "gemini-cli", "claude_code_agents.jsonl": "claude-code",
    "claude_ai_branches.json": "claude.ai",
    "messages.json": "runner", "plain.txt": "plaintext", "interview.vtt": "webvtt", "episode.srt": "srt",
    "sillytavern.jsonl": "sillytavern", "claude_console.txt": "claude-console", "gemini_console.txt": "gemini-console",
    "tagged.md": "tagged", "aider_history.md": "aider", "aider_reasoning.md": "aider", "aider_architect.md": "aider", "bot_chat.md": "plaintext",
    "report_chat.md": "plaintext", "notes_app_chats.json": "nested-messages", "open_webui.json": "nested-messages",
    "discord.txt": "discord", "discord.json": "discord", "discord.html": "discord", "Harbour Office - tide-desk [1164].csv": "discord", "telegram.json": "telegram", "telegram.html": "telegram", "codex.jsonl": "codex", "framed_turns.txt": "framed",
    "2026-02-14_09-30-12_c4d5_conversation-log.txt": "conversation-logger",
    "conversation_logger.md": "conversation-logger",
    "2025-11-20_08-15Z-tide-gauge-alerts.md": "specstory", "2025-07-02_14-05Z-harbour-map-legend.md": "specstory",
    "vscode_chat.json": "vscode-chat", "cline_task_feb-9-2026_8-14-05-pm.md": "cline",
    "api_conversation_history.json": "cline",
}


def models(name: str) -> list[dict]:
    result = read_file(FORMATS / name, name)
    return [json.loads(conversation_json(c, name)) for c in result.conversations]


def test_every_fixture_is_claimed_by_its_own_reader():
    fixtures = sorted(p.name for p in FORMATS.iterdir())
    assert fixtures == sorted(EXPECTED_READER)
    for name in fixtures:
        result = read_file(FORMATS / name, name)
        assert result.format == EXPECTED_READER[name], name
        assert not [d for d in result.diagnostics if d.level == "error"], name


def test_a_header_is_sketched_only_from_what_reads_as_native(tmp_path):
    """A large build places a native transcript by its header alone (read_header_file): a file that a
    reader offered it first claims (a Claude Code log, a SpecStory session…) is never sketched so,
    whatever its header looks like to the native reader."""
    from generator.readers import TEXT_SUFFIXES, read_header_file
    texts = [path for path in sorted(FIXTURES.rglob("*")) if path.suffix.lower() in TEXT_SUFFIXES]
    assert len(texts) > 20
    # A native transcript, but for a conversation-logger log quoted in its last message: the logger's
    # reader is offered the file first, and claims it.
    quoting = tmp_path / "quoting.md"
    quoting.write_text("# A ↔ B\n\n---\n\n### A\n\nhi\n\n---\n\n### B\n\n" + "=" * 80
                       + "\n🤖 CLAUDE [2026-01-01 10:00:00]:\n● x\n", "utf-8")
    assert read_file(quoting).format == "conversation-logger"
    for path in texts + [quoting]:
        if read_header_file(path, path.name) is not None:
            assert read_file(path, path.name).format == "native", path.name


def test_native_samples_are_claimed_by_the_native_reader():
    for path in sorted((Path(__file__).parent.parent / "content").glob("*.md")):
        assert read_file(path).format == "native", path.name


@pytest.mark.parametrize("name", sorted(EXPECTED_READER))
def test_fixture_matches_golden_model(name):
    data = models(name)
    golden = GOLDEN / "formats" / (name + ".json")
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


def test_a_discord_channel_exported_as_text():
    """DiscordChatExporter's text: each message under '[time] author'; a bot's '#4410' tag is its label;
    a model's '<think>' is thinking; a bracketed line that is no time stays in the text; the dates are
    day first where one passes 12 ('13/09/2025'), so '03/09/2025' is the third of September."""
    [chat] = read_file(FORMATS / "discord.txt", "discord.txt").conversations
    assert chat.title == "#tide-desk · Harbour Office"
    assert [(m.speaker, m.kind) for m in chat.messages] == [
        ("keeper_ada", "message"), ("Tidebot", "message"), ("keeper_ada", "message"), ("Tidebot", "thinking"),
        ("Tidebot", "message"), ("Tidebot", "message")]
    assert chat.messages[1].label == "Tidebot#4410"
    assert chat.started == datetime(2025, 9, 3, 6, 36) and chat.ended == datetime(2025, 9, 13, 6, 40)
    assert chat.messages[4].text.endswith("[not a header] because it is in the text")
    # The words a bot put before its reasoning's block stay its answer's.
    assert chat.messages[4].text.startswith("Going by the tables, High water comes at 07:30")
    assert chat.messages[5].text.endswith("{Reactions}\n👍 (2)")  # the export's closing rules are not
    assert (chat.metadata["Server"], chat.metadata["Channel"], chat.metadata["Topic"]) == (
        "Harbour Office", "Bots / tide-desk", "Ask the tide bot")


def test_a_claude_code_session_as_the_conversation_logger_plugin_writes_it_as_text():
    """Its text log: each request after a rule of '=', Claude's answer after a rule of '-'; the parts of
    an answer (its words, each tool called, each output line under '⎿') apart; what the user gave while
    Claude worked (an answer, a plan approved) in its place; clock times on the file name's day, the
    next day once the clock goes back."""
    name = "2026-02-14_09-30-12_c4d5_conversation-log.txt"
    [session] = read_file(FORMATS / name, name).conversations
    assert session.title == "The lighthouse rota skips Thursdays. Can you find why?"
    assert [(m.speaker, m.kind) for m in session.messages[:9]] == [
        ("User", "message"), ("Claude", "message"), ("Claude", "tool_call"), ("Tool", "tool_result"),
        ("Claude", "message"), ("User", "message"), ("User", "message"), ("User", "note"), ("Claude", "tool_call")]
    assert session.messages[3].text == '```\nDAYS = ["Mon", "Tue", "Wed", "Fri", "Sat", "Sun"]\n\ndef build(keepers):\n```'
    assert session.messages[7].text == "plan approved"
    assert [m.text for m in session.messages if m.kind == "note"] == ["plan approved", "Interrupted"]
    # A line that starts with the plugin's mark inside Claude's words keeps it.
    assert session.messages[12].text.endswith("before they finished:\n● run them again when you are ready.")
    assert session.messages[0].time == datetime(2026, 2, 14, 9, 30, 12)  # the file's day, the request's clock
    assert session.messages[-4].time == datetime(2026, 2, 14, 23, 58, 30)
    assert session.ended == datetime(2026, 2, 15, 0, 1, 2)
    assert not any("=" * 80 in m.text or "-" * 80 in m.text for m in session.messages)


def test_a_claude_code_session_as_the_conversation_logger_plugin_writes_it_in_markdown():
    """Its Markdown log: a head for each request and each answer, with its clock time under the log's
    day; a tool's heading, parameters and output apart from Claude's words; a head inside a tool's
    output (a fence after the tool's heading) stays output; an answer, a plan approved, a tool refused
    and an interruption each in its place."""
    [session] = read_file(FORMATS / "conversation_logger.md", "conversation_logger.md").conversations
    assert session.metadata["Session"] == "9a8b7c6d"
    assert session.started == datetime(2026, 2, 20, 21, 14, 3)
    assert session.ended == datetime(2026, 2, 21, 0, 2, 50)  # past midnight
    kinds = [(m.speaker, m.kind) for m in session.messages]
    assert kinds[:6] == [("User", "message"), ("Claude", "message"), ("Claude", "tool_call"), ("Tool", "tool_result"),
                         ("Claude", "message"), ("User", "message")]
    assert session.messages[2].text == "```\nRead(file_path=chart.py)\n```"
    assert "## 🤖 Claude — 21:15:00" in session.messages[3].text and session.messages[3].text.startswith("````\n")
    assert [m.text for m in session.messages if m.kind == "note"] == [
        "Plan Approved", "Tool Rejected: use invert_yaxis instead", "Tool Rejected: use invert_yaxis instead",
        "Interrupted"]
    assert not any(m.text.strip() == "---" or "> **Answer**" in m.text for m in session.messages)


def test_other_logs_between_rules_are_not_taken_for_the_plugin_s():
    """A bare 'USER:' between rules is any framed log's; a '# Conversation Log' title over no head of
    the plugin's is a document."""
    framed = ("=" * 80 + "\nUSER:\n" + "=" * 80 + "\nhello\n" + "=" * 80 + "\nASSISTANT:\n" + "=" * 80 + "\nhi\n") * 2
    assert read_bytes(Path("a.txt"), framed.encode(), "a.txt").format != "conversation-logger"
    document = "# Conversation Log\n\n## Tuesday\n\nUser: hello\nClaude: hi\n"
    assert read_bytes(Path("a.md"), document.encode(), "a.md").format != "conversation-logger"


def test_a_cursor_session_as_specstory_saves_it():
    """SpecStory's Markdown: a head for each message, its time and model in brackets; within an answer
    the '---' lines part its thinking and its tool calls from its words, and the HTML around them is
    the exporter's (taken off; what it escaped, unescaped). A '---' between two runs of words, in the
    thinking, or in code stays where it was."""
    name = "2025-11-20_08-15Z-tide-gauge-alerts.md"
    [session] = read_file(FORMATS / name, name).conversations
    assert session.title == "Tide gauge alerts fire twice"
    assert session.started == datetime(2025, 11, 20, 8, 15, tzinfo=timezone.utc)
    assert session.metadata["Agent"] == "Cursor" and session.metadata["Model"] == "claude-4.5-sonnet-thinking, gpt-5"
    # Each answer is its model's, 'Agent' (its part) the label; the session switched models.
    sonnet, gpt = "Claude Sonnet 4.5 Thinking", "GPT-5"
    assert [(m.speaker, m.kind) for m in session.messages] == [
        ("User", "message"), (sonnet, "thinking"), (sonnet, "tool_call"), (sonnet, "tool_call"), (sonnet, "message"),
        (sonnet, "tool_call"), (sonnet, "message"), ("User", "message"), (gpt, "tool_call"), (gpt, "message")]
    assert {m.speaker: m.label for m in session.messages if m.speaker != "User"} == {sonnet: "Agent", gpt: "Agent"}
    thinking, read, grep, edit = (session.messages[i].text for i in (1, 2, 3, 5))
    assert thinking.endswith("second subscription.\n\n---\n\nMaybe both the gauge and the forecast call it.")
    assert read == "Tool use: **read_file** • Read file: alerts.py"
    assert grep.startswith('Tool use: **grep** • Grep for "notify_high_water" • 2 matches\n\nOutput mode: content')
    assert "if level > LIMIT && not quiet" in edit and "the gauge's subscription" in edit  # the diff, unescaped
    assert "<details>" not in "".join(m.text for m in session.messages)
    assert session.messages[6].text.startswith("The forecast loop no longer alerts; the gauge's subscription does, once."
                                              "\n\n---\n\n| Before | After |")
    assert session.messages[8].time == datetime(2025, 11, 20, 8, 21, 40, tzinfo=timezone.utc)
    assert session.messages[9].text.endswith("```yaml\n---\nalerts: once\n---\n```")


def test_an_earlier_specstory_session():
    """The extension's earlier Markdown: '_**User**_' and '_**Assistant**_' with no time, a tool call
    as 'Tool use: **name**' and what it did, or as a <details> block; '(default)' names no model."""
    name = "2025-07-02_14-05Z-harbour-map-legend.md"
    [session] = read_file(FORMATS / name, name).conversations
    assert [(m.speaker, m.kind) for m in session.messages] == [
        ("User", "message"), ("Assistant", "message"), ("Assistant", "tool_call"), ("Assistant", "tool_call"),
        ("Assistant", "message"), ("User", "message"), ("Assistant", "message")]
    assert session.messages[2].text == "Tool use: **read_file**\n\nRead file: src/map/Legend.tsx"
    assert session.messages[3].text.startswith("Edit file: src/map/Legend.tsx\n\nMove the legend")
    assert '+  <div className="legend top-right sm:bottom-left">' in session.messages[3].text
    assert "Model" not in session.metadata and session.started == datetime(2025, 7, 2, 14, 5, tzinfo=timezone.utc)


def test_a_specstory_head_starts_a_message_only_where_specstory_writes_one():
    """After a '---' line (or first after the title); a head quoted in a message's text stays text."""
    text = ("<!-- Generated by SpecStory -->\n\n# T (2025-01-01 10:00Z)\n\n_**User**_\n\nq\n\n---\n\n"
            "_**Assistant**_\n\nThe file begins:\n\n_**User**_\n\nand goes on.\n")
    [session] = read_bytes(Path("a.md"), text.encode(), "a.md").conversations
    assert [m.speaker for m in session.messages] == ["User", "Assistant"]
    assert session.messages[1].text == "The file begins:\n\n_**User**_\n\nand goes on."


def test_a_copilot_chat_as_vs_code_exports_it():
    """VS Code's chat export: each request the user's message, then the answer's parts: its Markdown
    in pieces (joined, a file it names as code), its thinking, each tool it ran (what the tool said it
    did) and each file it edited (the text written); the editor's own parts left out; a request
    cancelled or failed, a note."""
    [chat] = read_file(FORMATS / "vscode_chat.json", "vscode_chat.json").conversations
    assert chat.title == "Tide table misses July"
    assert chat.metadata["Model"] == "GPT-4.1, Claude Sonnet 4"
    # The user by their GitHub name; each answer as the model that wrote it (the participant where the
    # request names none), the participant its label.
    assert [(m.speaker, m.kind) for m in chat.messages] == [
        ("ada-keeper", "message"), ("GPT-4.1", "thinking"), ("GPT-4.1", "tool_call"), ("GPT-4.1", "message"),
        ("ada-keeper", "message"), ("Claude Sonnet 4", "tool_call"), ("Claude Sonnet 4", "message"),
        ("Claude Sonnet 4", "note"), ("ada-keeper", "message"), ("GitHub Copilot", "message"),
        ("GitHub Copilot", "note"), ("ada-keeper", "message"), ("Claude Sonnet 4", "note")]
    assert {m.speaker: m.label for m in chat.messages} == {
        "ada-keeper": "", "GPT-4.1": "GitHub Copilot", "Claude Sonnet 4": "GitHub Copilot", "GitHub Copilot": ""}
    assert chat.messages[3].text.startswith("The month list in `table.py` stops at June:\n\n```python\nMONTHS")
    assert chat.messages[2].text == "**copilot_readFile**\n\nRead `table.py`, lines 1 to 40"
    assert chat.messages[5].text.startswith("Edited `/home/ada/tides/table.py`\n\n```\nMONTHS") and '"Dec"]' in chat.messages[5].text
    assert chat.messages[8].text == "print the table for July"  # an older export's message, a plain string
    assert [m.text for m in chat.messages if m.kind == "note"][1:] == [
        "Cancelled", "Sorry, your request failed. Please try again."]
    assert chat.messages[0].time == datetime(2025, 7, 2, 10, 0, tzinfo=timezone.utc)
    auto = read_bytes(Path("a.json"), json.dumps({"responderUsername": "GitHub Copilot", "requests": [
        {"message": {"text": "which tide?"}, "modelId": "copilot/auto", "response": [{"value": "The spring tide."}]}]}
    ).encode(), "a.json")  # Copilot chose the model, and the export does not say which: the participant speaks
    assert [(m.speaker, m.label) for m in auto.conversations[0].messages] == [("User", ""), ("GitHub Copilot", "")]
    empty = read_bytes(Path("s.json"), b'{"version": 3, "responderUsername": "GitHub Copilot", "requests": []}', "s.json")
    assert not empty.conversations and [d.message for d in empty.diagnostics] == ["an empty chat (no request in it); skipped"]


def test_a_cline_task_as_it_exports_it():
    """Cline's export: the user's side is mostly the extension's (a tool's result, the editor's state
    as folded context, whose time dates the message); the task, answers and feedback are the user's
    words, taken out of the elements they are in. The model's thinking and its XML tool calls are apart
    from its words, and its answer is the <result> of attempt_completion or the <question> it asks."""
    name = "cline_task_feb-9-2026_8-14-05-pm.md"
    [task] = read_file(FORMATS / name, name).conversations
    assert task.title == "The harbour bell schedule rings at 7 on Sundays. It should ring at 9. Fix it."
    assert task.started == datetime(2026, 2, 9, 20, 14, 5, tzinfo=timezone.utc)
    users = [m.text for m in task.messages if m.speaker == "User"]
    assert users == ["The harbour bell schedule rings at 7 on Sundays. It should ring at 9. Fix it.", "No, only Sundays",
                     "Keep a comment saying why it is 9."]
    said = [m.text for m in task.messages if m.speaker == "Assistant" and m.kind == "message"]
    assert said == ["Should Saturdays ring at 9 too?", "Only Sundays change. Here is the edit:",
                    "Sundays now ring at 9, with a comment saying why; weekdays still ring at 8."]
    kinds = {m.kind for m in task.messages}
    assert kinds == {"message", "thinking", "tool_call", "tool_result", "context"}
    assert not any("<environment_details>" in m.text or "<task>" in m.text for m in task.messages)
    assert task.messages[4].text == "**read_file** 'bells/schedule.py'\n\n```\nSUNDAY_HOUR = 7\nWEEKDAY_HOUR = 8\n```"


def test_an_older_cline_task_with_the_model_s_own_tool_calls():
    """Versions that used the model's tool calls export '[Tool Use: name]' with its input, and the
    result as '[Tool]' (or '[Tool (Error)]'); the file's name dates a task with no editor state."""
    text = ("**User:**\n\n<task>\nList the buoys\n</task>\n\n---\n\n**Assistant:**\n\nLooking.\n"
            "[Tool Use: list_files]\nPath: buoys\nRecursive: false\n\n---\n\n**User:**\n\n[Tool (Error)]\n"
            "no such folder\n\n---\n\n**Assistant:**\n\nThe folder is missing.\n\n")
    [task] = read_bytes(Path("cline_task_mar-3-2025_9-05-00-pm.md"), text.encode(), "t.md").conversations
    assert [(m.speaker, m.kind) for m in task.messages] == [
        ("User", "message"), ("Assistant", "message"), ("Assistant", "tool_call"), ("Tool", "tool_result"),
        ("Assistant", "message")]
    assert task.messages[2].text == "**list_files**\n\n```\nPath: buoys\nRecursive: false\n```"
    assert task.messages[3].text == "**tool** (error)\n\n```\nno such folder\n```"
    assert task.started == datetime(2025, 3, 3, 21, 5)
    plain = "**User:**\n\nhello\n\n---\n\n**Assistant:**\n\nhi\n"
    assert read_bytes(Path("a.md"), plain.encode(), "a.md").format != "cline"


def test_what_cline_adds_to_the_task_is_its_own_not_the_user_s():
    """Text outside the user's elements (a reminder Cline adds under the task, as a real task's record
    holds one) is folded context of the extension's; the user's message is the task alone."""
    text = ("**User:**\n\n<task>\nCount the gulls\n</task>\n\n# task_progress RECOMMENDED\n\nKeep a todo list.\n\n"
            "---\n\n**Assistant:**\n\n<thinking>\ncount\n</thinking>\n\nTwelve.\n")
    [task] = read_bytes(Path("cline_task_mar-3-2025_9-05-00-pm.md"), text.encode(), "t.md").conversations
    assert [(m.speaker, m.kind, m.text) for m in task.messages] == [
        ("User", "message", "Count the gulls"), ("Cline", "context", "# task_progress RECOMMENDED\n\nKeep a todo list."),
        ("Assistant", "thinking", "count"), ("Assistant", "message", "Twelve.")]


def test_a_cline_task_s_record_reads_as_its_export_does():
    """api_conversation_history.json is what Cline's export is written from: written as the export
    writes it ('**User:**', the blocks one per line, '[Tool Use: …]' and '[Tool]' for the model's own
    tool calls, '---' between messages), both read to the same messages (a differential test)."""
    record = json.loads((FORMATS / "api_conversation_history.json").read_text("utf-8"))

    def block(part):
        if part["type"] == "text":
            return part["text"]
        if part["type"] == "image":
            return "[Image]"
        if part["type"] == "tool_use":
            return f"[Tool Use: {part['name']}]\n" + "\n".join(f"{k[:1].upper()}{k[1:]}: {v}" for k, v in part["input"].items())
        return "[Tool]\n" + "\n".join(block(inner) for inner in part["content"])

    export = "---\n\n".join(f"**{'User' if m['role'] == 'user' else 'Assistant'}:**\n\n"
                             + "\n".join(block(part) for part in m["content"]) + "\n\n" for m in record)
    [from_json] = read_file(FORMATS / "api_conversation_history.json", "a.json").conversations
    [from_export] = read_bytes(Path("cline_task_mar-14-2026_9-02-11-am.md"), export.encode(), "t.md").conversations
    assert [(m.speaker, m.kind, m.text, m.time) for m in from_json.messages] == [
        (m.speaker, m.kind, m.text, m.time) for m in from_export.messages]
    assert from_json.title == "The ferry timetable shows the 18:40 sailing twice. Remove the copy."
    assert [m.text for m in from_json.messages if m.speaker == "User"] == [
        "The ferry timetable shows the 18:40 sailing twice. Remove the copy.", "That screenshot shows it fixed, thanks."]
    assert "Content: sailing,from,to" in from_json.messages[7].text and from_json.messages[7].kind == "tool_call"


def test_a_discord_channel_exported_as_csv(tmp_path):
    """DiscordChatExporter's CSV: a row for each message, quoted, its text over several lines where it
    has them; the author's tag set aside as the label, the files attached as links and the reactions
    after the text, the dates in the exporter's locale. It names no server or channel: the file's name
    does, without the channel's id. Before, a '.csv' file was not even looked at."""
    name = "Harbour Office - tide-desk [1164].csv"
    [chat] = read_file(FORMATS / name, name).conversations
    assert chat.title == "Harbour Office - tide-desk"
    assert [(m.speaker, m.kind, m.line) for m in chat.messages] == [
        ("keeper_ada", "message", 2), ("Tidebot", "message", 3), ("keeper_ada", "message", 7),
        ("Tidebot", "thinking", 8), ("Tidebot", "message", 8), ("keeper_ada", "message", 12)]
    assert chat.messages[1].text == ('High water 06:12\nLow water 12:30\n\nSay "tides" again for the south pier.\n\n'
                                     "📎 [chart.png](https://cdn.example/attachments/2/5/chart.png)\n\nReactions: 👍 2, 🌊 1")
    assert chat.messages[1].label == "Tidebot#4410" and chat.started == datetime(2025, 7, 20, 18, 36)
    # Another table is no transcript; a quote the exporter never closed is an error of that file, at its row.
    (tmp_path / "tides.csv").write_text("day,height\nmon,3.2\n", "utf-8")
    other = read_file(tmp_path / "tides.csv", "tides.csv")
    assert other.conversations == [] and "not a transcript" in other.diagnostics[0].message
    (tmp_path / "cut.csv").write_text(DiscordCSV_HEADER + '\n"1","a","7/20/2025 6:36 PM","hi","",""\n"2","b","7/20/2025 6:37 PM","cut', "utf-8")
    with pytest.raises(SourceError) as cut:
        read_file(tmp_path / "cut.csv", "cut.csv")
    assert cut.value.diagnostic.line == 3


def test_a_discord_channel_exported_as_json():
    """DiscordChatExporter's JSON: the nickname speaks; a bot's embed and the files attached follow
    the text (a link only where the address is the web's); a reply names the message it answers by its
    number on the page; Discord's own notice ('pinned a message') is a note. Before, every speaker
    was 'unknown' and the embed was lost."""
    [chat] = read_file(FORMATS / "discord.json", "discord.json").conversations
    assert [(m.speaker, m.kind) for m in chat.messages] == [
        ("Ada", "message"), ("Tidebot", "message"), ("Ada", "message"), ("Tidebot", "thinking"),
        ("Tidebot", "message"), ("Ada", "note")]
    assert chat.messages[1].text == ("**TIDES: NORTH PIER**\n\nHigh water 06:12\nLow water 12:30\n\n"
                                     "**Next**: 07:30\n\n*from the gauge*")
    assert chat.messages[2].text == "↩ In reply to Tidebot (#2)\n\n@Tidebot and on the thirteenth?\n\nReactions: 👍 2"
    assert chat.messages[4].text.endswith("📎 [chart.png](https://cdn.example/attachments/2/5/chart.png)\n\n"
                                          "📎 odd.txt\n\nSticker: Wave")
    assert chat.messages[0].label == "keeper_ada" and chat.messages[1].label == "Tidebot#4410"


def test_a_discord_channel_exported_as_html():
    """DiscordChatExporter's HTML page (its default): each message of a group its author's, the account's
    name and a bot's tag as the label, the short times of a group's later messages read from their full
    form; Discord's Markdown made HTML made Markdown again, with what the page shows as text kept as
    text ('2 * 3', '# this line', '1. nor'), a link only where the address is the web's, a code block
    with its language, and the text after a quote out of it; the reasoning before a reply's answer
    is thinking; the embed, the files and the reactions follow the text; a member joining is a note.
    Before, an .html file was not read at all."""
    [chat] = read_file(FORMATS / "discord.html", "discord.html").conversations
    assert chat.title == "#tide-desk · Harbour Office" and chat.metadata["Topic"] == "Ask the tide bot"
    assert [(m.speaker, m.kind, m.label) for m in chat.messages] == [
        ("Ada", "message", "keeper_ada"), ("Ada", "message", "keeper_ada"), ("Tidebot", "thinking", "Tidebot#4410"),
        ("Tidebot", "message", "Tidebot#4410"), ("Wren", "note", "")]
    assert [m.time for m in chat.messages] == [datetime(2025, 9, 3, 6, 36), datetime(2025, 9, 3, 6, 37),
                                               datetime(2025, 9, 13, 6, 39), datetime(2025, 9, 13, 6, 39),
                                               datetime(2025, 9, 13, 6, 41)]
    assert chat.messages[1].text == "and the *south* one, if it is not ~~too much~~ trouble 🙏"
    answer = chat.messages[3].text
    assert answer.startswith("↩ In reply to Ada (#1)\n\nHere are the tides, **both piers**:\n\n- North: `06:12`\n")
    assert "> Mind the bar & the \\&amp; sign.\n> Two lines of it.\n\nSee [the tables](https://tides.example/north) or this." in answer
    assert '```python\nprint("high", 6.12)\nif tide < 3:\n    print("low")\n```' in answer
    assert "javascript" not in answer and ":lantern:" in answer
    assert answer.endswith("📎 [chart.png](https://cdn.example/attachments/2/5/chart.png)\n\n📎 odd.txt\n\nReactions: 👍 2")
    assert chat.messages[4].text == "Wren joined the server."
    shown = MessageRenderer().render(answer)
    for text in ("Add 2 * 3 = 6 minutes at springs; keep_the_bar_clear.", "# this line is text, not a heading",
                 "1. nor is this a list", "&lt;script&gt;alert(1)&lt;/script&gt;", "the &amp;amp; sign"):
        assert text in shown, text
    assert "<script>" not in shown and "<h1>" not in shown and "<ol>" not in shown


def test_a_discord_html_page_with_its_text_straight_in_the_content_and_long_dates():
    """Some exporters of the same page write a message's text straight into its content, beside the
    '(edited)' mark, and give the times written out in titles ('Thursday, January 29, 2026 1:16 PM')."""
    page = ('<div class="preamble"><div class="preamble__entry">Harbour Office</div><div class="preamble__entry">Bots / '
            'tide-desk</div></div><div class="chatlog"><div class="chatlog__message-group">'
            '<div class="chatlog__message-container" data-message-id="7"><div class="chatlog__message"><div '
            'class="chatlog__message-primary"><div class="chatlog__header"><span class="chatlog__author" title="keeper_ada">'
            'Ada</span><span class="chatlog__timestamp" title="Thursday, January 29, 2026 1:16 PM">1/29/2026 1:16 PM'
            '</span></div><div class="chatlog__content chatlog__markdown">Tides<br>for the *week* <span '
            'class="chatlog__edited-timestamp" title="Thursday, January 29, 2026 1:20 PM">(edited)</span></div></div></div></div>'
            '<div class="chatlog__message-container" data-message-id="8"><div class="chatlog__message"><div '
            'class="chatlog__message-aside"><div class="chatlog__short-timestamp" title="Thursday, January 29, 2026 1:17 PM">'
            '1:17 PM</div></div><div class="chatlog__message-primary"><div class="chatlog__content">Added</div></div></div></div>'
            '</div></div>')
    [chat] = read_bytes(Path("tide-desk.html"), page.encode("utf-8"), "tide-desk.html").conversations
    assert [(m.speaker, m.text, m.time) for m in chat.messages] == [
        ("Ada", "Tides\nfor the \\*week\\*", datetime(2026, 1, 29, 13, 16)), ("Ada", "Added", datetime(2026, 1, 29, 13, 17))]


def test_a_folded_blocks_hint_shows_what_markdown_escapes_as_it_reads(tmp_path):
    """The hint of the Discord page's folded reasoning reads 'the *south* gauge', as its text shows it
    (not 'the \\south\\ gauge': its marks were dropped and its escapes kept)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "discord.html").write_bytes((FORMATS / "discord.html").read_bytes())
    build(load_config(None, tmp_path, search=False))
    page = html.unescape(next((tmp_path / "site" / "c").glob("*/index.html")).read_text("utf-8"))
    summaries = re.findall(r'<details class="aside-body"><summary>(.*?)</summary>', page)
    assert summaries[0] == "The keeper asks for both piers; the *south* gauge reads late."


def test_a_discord_html_page_of_an_older_exporter():
    """Exporters before 2022 wrote a group's author once ('chatlog__author-name') and its messages after."""
    page = ('<html><body><div class="preamble"><div class="preamble__entries-container">'
            '<div class="preamble__entry">Harbour Office</div><div class="preamble__entry">tide-desk</div></div></div>'
            '<div class="chatlog"><div class="chatlog__message-group"><div class="chatlog__messages">'
            '<span class="chatlog__author-name" title="Tidebot#4410">Tidebot</span><span class="chatlog__bot-tag">BOT</span>'
            '<span class="chatlog__timestamp">20-Jul-25 06:36 PM</span>'
            '<div class="chatlog__message" data-message-id="1"><div class="chatlog__content"><div class="markdown">'
            '<span class="preserve-whitespace">High water at <strong>06:12</strong></span></div></div></div>'
            '<div class="chatlog__message" data-message-id="2"><div class="chatlog__content"><div class="markdown">'
            '<span class="preserve-whitespace">Low water at 12:30</span></div></div></div>'
            '</div></div></div></body></html>')
    [chat] = read_bytes(Path("old.html"), page.encode("utf-8"), "old.html").conversations
    assert chat.title == "#tide-desk · Harbour Office"
    assert [(m.speaker, m.label, m.text) for m in chat.messages] == [
        ("Tidebot", "Tidebot#4410", "High water at **06:12**"), ("Tidebot", "Tidebot#4410", "Low water at 12:30")]
    assert chat.messages[0].time == datetime(2025, 7, 20, 18, 36)  # the form of the time those exporters wrote


def test_a_telegram_chat_exported_as_html():
    """Telegram Desktop's HTML page (its default): the header names the chat; a sender's 'joined'
    messages are theirs; times in full from the title, with the zone; the text's formatting made
    Markdown again (a link only where the address is the web's; what the page shows as text kept as
    text); a forward, a reply, a photo, a file not saved, a poll and a voice message named as the JSON
    export's reader names them; the day's heading left out and a pin a note. Before, it was not read."""
    [chat] = read_file(FORMATS / "telegram.html", "telegram.html").conversations
    assert chat.title == "Tide Bot" and chat.speakers == ["Ada", "Tide Bot"]
    texts = [(m.speaker, m.kind, m.text) for m in chat.messages]
    assert texts[1] == ("Ada", "message", "↪ Forwarded from Harbour Office\n\nWhen is high water at the **north** pier?")
    answer = texts[2][2]
    assert answer.startswith("↩ In reply to Ada (#1)\n\nHigh water is at **06:12** today, *spring tides*. See "
                             "[https://tides.example/north](https://tides.example/north) or the "
                             "[almanac](https://tides.example/almanac) (not this).\nRun `tide --pier north`:\n\n"
                             "```\nhigh 06:12\nlow  12:30\n```\n\n~~old table~~ and 2 \\* 3 = 6 minutes")
    assert answer.endswith("> Mind the bar & the \\&amp; sign.\n\nAsk for the secret mooring <script>alert(2)</script>"
                           "\n\nReactions: 👍 2")
    assert [text for _, _, text in texts[3:]] == [
        "*[photo]*\n\nThe chart for this week.", "*[file: tables-2025.pdf]*", "Ada pinned «this message»",
        "**Poll:** Which pier next?\n- North 2 votes\n- South 1 vote", "*[voice message]*"]
    assert [kind for _, kind, _ in texts].count("note") == 1  # the pin; the day's heading is no message
    assert chat.messages[0].time == datetime(2025, 9, 3, 6, 36, 12, tzinfo=timezone(timedelta(hours=1)))
    assert texts[6][0] == "Ada"  # 'Ada via @gaugebot': sent by Ada through a bot
    shown = MessageRenderer().render(answer)
    assert "<script>" not in shown and "javascript" not in shown and "2 * 3 = 6" in shown


def test_telegram_html_names_animated_stickers_and_photos_it_did_not_save():
    """An animated or video sticker is written as a file titled 'Sticker' (in a photo's or a video's
    block); a photo not saved as a photo's block with no image."""
    def message(number, media_class, title):
        return (f'<div class="message default clearfix" id="message{number}"><div class="body">'
                f'<div class="pull_right date details" title="03.09.2025 06:3{number}:00 UTC+01:00">06:3{number}</div>'
                f'<div class="from_name">Ada</div><div class="media_wrap clearfix">'
                f'<a class="media clearfix pull_left block_link {media_class}" href="x"><div class="body">'
                f'<div class="title bold">{title}</div><div class="status details">Not included</div></div></a>'
                f'</div></div></div>')
    page = ('<div class="page_header"><div class="content"><div class="text bold">Tide Bot</div></div></div>'
            '<div class="page_body chat_page"><div class="history">' + message(1, "media_photo", "Sticker")
            + message(2, "media_video", "Sticker") + message(3, "media_photo", "Photo")
            + message(4, "media_file", "tables.pdf") + '</div></div>')
    [chat] = read_bytes(Path("messages.html"), page.encode("utf-8"), "messages.html").conversations
    assert [m.text for m in chat.messages] == ["*[sticker]*", "*[sticker]*", "*[photo]*", "*[file: tables.pdf]*"]


def test_a_web_page_is_not_a_transcript_nor_an_empty_export():
    result = read_bytes(Path("notes.html"), b"<html><body><h1>Tide tables</h1><p>06:12</p></body></html>", "notes.html")
    assert result.conversations == [] and result.diagnostics[0].level == "note"
    assert "not a transcript" in result.diagnostics[0].message
    for name, page in [("channel.html", '<div class="preamble"><div class="preamble__entries-container">'
                                        '<div class="preamble__entry">Harbour Office</div></div></div>'),
                       ("messages.html", '<div class="page_body chat_page"><div class="history">'
                                         '<div class="message service" id="message-1"><div class="body details">'
                                         '3 September 2025</div></div></div></div>')]:
        result = read_bytes(Path(name), page.encode("utf-8"), name)
        assert result.conversations == [] and [d.level for d in result.diagnostics] == ["note"], name
        assert "holds no message" in result.diagnostics[0].message


def test_a_telegram_chat_exported_as_json():
    """Telegram Desktop's export of one chat: titled by the chat's name; its formatting as Markdown (a
    link only where the address is the web's); forwards, replies, photos, stickers, voice messages,
    files and polls named where they were; Telegram's notice of a pin a note naming the message.
    Before, it was read as OpenAI chat messages: every speaker 'unknown', every message empty."""
    [chat] = read_file(FORMATS / "telegram.json", "telegram.json").conversations
    assert chat.title == "Tide Bot" and chat.metadata["Chat type"] == "bot chat"
    texts = [(m.speaker, m.kind, m.text) for m in chat.messages]
    assert texts[2] == ("Ada", "message", "↪ Forwarded from Harbour Office\n\nWhen is high water at the north pier?")
    answer = texts[3][2]
    assert answer.startswith("↩ In reply to Ada (#3)\n\nHigh water is at **06:12** today, *spring tides*. See "
                             "<https://tides.example/north> or the [almanac](https://tides.example/almanac) (not this).")
    assert "Run `tide --pier north`:\n\n```text\nhigh 06:12\nlow  12:30\n```" in answer
    assert answer.endswith("~~old table~~\n\n> Mind the bar.")
    assert texts[4] == ("Ada", "note", "pin message (#4)")
    assert [text for _, _, text in texts[5:]] == [
        "*[photo]*\n\nthe gauge this morning", "🌊", "*[voice message: 4 s]*", "*[file: tides-2025.pdf]*",
        "**Poll:** Which pier next?\n- South\n- East"]
    assert texts[8][0] == "Deleted Account"


def test_a_log_of_turns_framed_between_rules():
    """A small runner's log: each turn headed 'Turn 2 | Keeper B | <time>' between two rules of '=';
    the banner framed first is the title, the 'Model:' lines under it facts, the text before the first
    turn context; a line framed once inside a message ('not a heading: …') is its text. Before, such a
    log was 'not a transcript'."""
    [log] = read_file(FORMATS / "framed_turns.txt", "framed_turns.txt").conversations
    assert log.title == "LIGHTHOUSE LOOP - two keepers talk"
    assert (log.metadata["Model"], log.metadata["Max turns"]) == ("claude-sonnet-4-5-20250929", "3")
    assert [(m.speaker, m.kind) for m in log.messages] == [("Preface", "context"), ("Keeper A", "message"),
                                                           ("Keeper B", "message"), ("Keeper A", "message")]
    assert log.messages[1].time == datetime(2025, 10, 15, 16, 49, 20, 500000)
    assert "not a heading: a rule the keeper drew" in log.messages[2].text


def test_a_codex_cli_session():
    """Codex's rollout file: the response items are the messages (the interface's event copies are left
    out); the environment Codex sends first is folded context; the model's reasoning summary is thinking
    (its encrypted copy is not shown); a shell call is its command, a patch its patch, a search its
    query; an output that failed says its exit code; a compaction is a summary. Before, Codex sessions
    were 'not a transcript'."""
    [session] = read_file(FORMATS / "codex.jsonl", "codex.jsonl").conversations
    assert session.title == "Why does the tide table test fail on the north pier?"
    assert [(m.speaker, m.kind) for m in session.messages] == [
        ("User", "context"), ("User", "message"), ("GPT-5-Codex", "thinking"), ("GPT-5-Codex", "tool_call"),
        ("Tool", "tool_result"), ("GPT-5-Codex", "tool_call"), ("Tool", "tool_result"), ("GPT-5-Codex", "tool_call"),
        ("GPT-5-Codex", "message"), ("Codex", "summary")]
    texts = [m.text for m in session.messages]
    assert texts[3] == "**Shell** in `/home/keeper/tides`\n\n```sh\n$ pytest -q tests/test_tides.py\n```"
    assert texts[4].startswith("**exit code 1**\n\n```\nF.\nFAILED tests/test_tides.py::test_north_pier")
    assert texts[5].startswith("**apply_patch**\n\n```diff\n*** Begin Patch")
    assert texts[7] == "**Web search** `harbour correction north pier`"
    assert "gAAAAB" not in "".join(texts)
    assert (session.metadata["Session"], session.metadata["Folder"], session.metadata["Branch"]) == (
        "0199fe39-c07c-71d0-9ceb-9315a0946d34", "/home/keeper/tides", "main")


def test_a_codex_session_of_events_only_reads_them(tmp_path):
    """A file that keeps only the interface's events (no response items) is read from them."""
    lines = ['{"timestamp":"2025-10-19T20:47:01Z","type":"session_meta","payload":{"id":"s","cwd":"/p"}}',
             '{"timestamp":"2025-10-19T20:47:02Z","type":"event_msg","payload":{"type":"user_message","message":"Lamp lit?"}}',
             '{"timestamp":"2025-10-19T20:47:03Z","type":"event_msg","payload":{"type":"agent_message","message":"Lit."}}']
    (tmp_path / "rollout.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    [session] = read_file(tmp_path / "rollout.jsonl", "rollout.jsonl").conversations
    assert [(m.speaker, m.text) for m in session.messages] == [("User", "Lamp lit?"), ("Codex", "Lit.")]


def test_a_codex_session_of_an_older_version(tmp_path):
    """Before its records had envelopes, Codex wrote the session's id and start first (with or without
    its instructions), then state markers and the items bare (with or without their own time)."""
    lines = ['{"id":"c27a914d","timestamp":"2025-08-20T13:20:47.060Z","git":{"branch":"main"}}',
             '{"record_type":"state"}',
             '{"type":"message","id":null,"role":"user","content":[{"type":"input_text","text":"List the tide files"}]}',
             '{"type":"function_call","id":"fc_1","name":"shell","arguments":"{\\"command\\":[\\"ls\\"]}","call_id":"c1"}',
             '{"type":"function_call_output","call_id":"c1","output":"tides.csv"}',
             '{"type":"message","timestamp":"2025-08-20T13:20:55Z","role":"assistant",'
             '"content":[{"type":"output_text","text":"One file: tides.csv."}]}']
    (tmp_path / "rollout.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    result = read_file(tmp_path / "rollout.jsonl", "rollout.jsonl")
    [session] = result.conversations
    assert result.format == "codex" and session.title == "List the tide files"
    assert [(m.speaker, m.kind) for m in session.messages] == [("User", "message"), ("Codex", "tool_call"),
                                                                ("Tool", "tool_result"), ("Codex", "message")]
    assert session.messages[1].text == "**Shell**\n\n```sh\n$ ls\n```"
    assert session.metadata["Session"] == "c27a914d" and session.metadata["Branch"] == "main"


def test_a_codex_record_whose_type_is_a_list_is_read_past(tmp_path):
    """A crash Hypothesis found (a list where a record's type belongs): now the file is read."""
    lines = ['{"timestamp":"2025-10-19T20:47:01Z","type":"session_meta","payload":{"id":"s"}}',
             '{"timestamp":"2025-10-19T20:47:02Z","type":["response_item"],"payload":{"type":"message"}}',
             '{"timestamp":"2025-10-19T20:47:03Z","type":"response_item","payload":{"type":["message"]}}']
    (tmp_path / "rollout.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    assert read_file(tmp_path / "rollout.jsonl", "rollout.jsonl").format == "codex"


def test_a_whole_telegram_account_is_a_conversation_per_chat(tmp_path):
    export = json.loads((FORMATS / "telegram.json").read_text("utf-8"))
    other = {"name": "Echo", "type": "personal_chat", "id": 2, "messages": [
        {"id": 1, "type": "message", "date": "2025-09-04T08:00:00", "from": "Echo", "text": "Lamp lit?"},
        {"id": 2, "type": "message", "date": "2025-09-04T08:01:00", "from": "Ada", "text": "Lit."}]}
    (tmp_path / "result.json").write_text(json.dumps({"about": "x", "chats": {"about": "y", "list": [export, other]}}), "utf-8")
    result = read_file(tmp_path / "result.json", "result.json")
    assert result.format == "telegram" and [c.title for c in result.conversations] == ["Tide Bot", "Echo"]
    assert [m.speaker for m in result.conversations[1].messages] == ["Echo", "Ada"]


@pytest.mark.parametrize("change", [{"type": []}, {"messages": [{"id": [1], "from": "Ada", "text": "a"},
                                                             {"id": 2, "reply_to_message_id": [1], "text": "b"}]}])
def test_telegram_ids_and_types_of_the_wrong_shape_are_read_past(change, tmp_path):
    """Crashes Hypothesis found (a list where a chat's type or a message's id belongs): now a file read,
    or an error about it, never a crash."""
    export = {**json.loads((FORMATS / "telegram.json").read_text("utf-8")), **change}
    (tmp_path / "t.json").write_text(json.dumps(export), "utf-8")
    try:
        read_file(tmp_path / "t.json", "t.json")
    except SourceError as err:
        assert "Antiphon bug" not in err.diagnostic.message


def test_messages_of_another_shape_are_not_read_as_openai_messages(tmp_path):
    """A chat app's 'messages' whose items have neither a 'role' nor a 'content' are left to the reader
    of any JSON with chats in it, which finds their speakers ('from') and text."""
    chat = tmp_path / "chat.json"
    chat.write_text(json.dumps({"messages": [{"from": "Ada", "text": "Lamp lit?"}, {"from": "Echo", "text": "Lit."}]}),
                    "utf-8")
    result = read_file(chat, "chat.json")
    assert result.format == "nested-messages"
    assert [(m.speaker, m.text) for m in result.conversations[0].messages] == [("Ada", "Lamp lit?"), ("Echo", "Lit.")]


@pytest.mark.parametrize("header, day_first, expected", [
    ("[7/20/2025 6:36 PM]", False, datetime(2025, 7, 20, 18, 36)), ("[20/7/2025 18:36]", True, datetime(2025, 7, 20, 18, 36)),
    ("[03/09/2025, 16:20]", True, datetime(2025, 9, 3, 16, 20)), ("[2025-07-20 18:36]", None, datetime(2025, 7, 20, 18, 36)),
    ("[12/1/2025 12:05 AM]", False, datetime(2025, 12, 1, 0, 5)), ("[20-Jul-25 06:36 PM]", None, datetime(2025, 7, 20, 18, 36)),
    ("[03-Sep-2025 12:05 AM]", None, datetime(2025, 9, 3, 0, 5)), ("[03-Sep-25 16:20]", None, datetime(2025, 9, 3, 16, 20)),
    ("[Thursday, January 29, 2026 1:16 PM]", None, datetime(2026, 1, 29, 13, 16)),
    ("[Thursday, 29 January 2026 13:16:05]", None, datetime(2026, 1, 29, 13, 16, 5))])
def test_a_discord_text_exports_dates_in_its_locales_form(header, day_first, expected):
    """Day or month first, as a number past 12 shows, else as the clock does (AM/PM is American)."""
    from generator.readers.discord import days_first, message_time
    if day_first is not None:
        assert days_first([header[1:-1]]) == day_first
    assert message_time(header[1:-1], bool(day_first)) == expected


def test_sillytavern_shows_the_chosen_swipe_and_folds_the_others():
    [chat] = models("sillytavern.jsonl")
    assert chat["title"] == "Keeper Ilse · 2025-02-14 20:15"
    kinds = [(m["speaker"], m.get("kind", "message")) for m in chat["messages"]]
    assert kinds == [("Keeper Ilse", "message"), ("Wren", "message"), ("Keeper Ilse", "thinking"),
                     ("Keeper Ilse", "message"), ("Keeper Ilse", "version"), ("System", "note"), ("Wren", "message")]
    assert chat["messages"][3]["text"] == "Not yet. *She trims the wick.* Soon."
    assert chat["messages"][4]["text"] == "**Keeper Ilse:**\n\nLit an hour ago."  # as every reader shows a version
    assert chat["messages"][6]["time"].startswith("2023-07-23T17:52")  # an older version's date


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.none(),
                 st.builds(lambda y, m, d, h, mi, s: f"{y}-{m}-{d} @{h}h {mi}m {s}s", *[st.integers(0, 99999)] * 6),
                 st.builds(lambda mo, d, y, t: f"{mo} {d}, {y} {t}", st.sampled_from(["July", "Jul", "Smarch"]),
                           st.integers(-1, 40), st.integers(0, 99999), st.sampled_from(["5:52pm", "13:99am", ""]))))
def test_a_sillytavern_date_is_a_time_or_nothing(value):
    from generator.readers.sillytavern import when
    assert when(value) is None or isinstance(when(value), datetime)


def test_a_sillytavern_group_chat_is_titled_by_its_speakers():
    group = ('{"user_name":"unused","character_name":"unused","chat_metadata":{}}\n'
             '{"name":"Ada","is_user":true,"send_date":1785232801,"mes":"Hello"}\n'
             '{"name":"Echo","is_user":false,"send_date":1785232802,"mes":"Welcome"}\n')
    [chat] = read_bytes(Path("group.jsonl"), group.encode("utf-8"), "group.jsonl").conversations
    assert chat.title == "Ada ↔ Echo" and chat.started.year == 2026 and "User" not in chat.metadata


def test_a_chatgpt_answer_whose_slug_names_no_model_is_chatgpts():
    def answer(slug):
        return {"id": "a", "parent": "u", "children": [], "message": {
            "id": "a", "author": {"role": "assistant"}, "create_time": 1718100001,
            "content": {"content_type": "text", "parts": ["Low water at 14:10."]}, "metadata": {"model_slug": slug}}}
    question = {"id": "u", "parent": None, "children": ["a"], "message": {
        "id": "u", "author": {"role": "user"}, "create_time": 1718100000,
        "content": {"content_type": "text", "parts": ["When is low water?"]}, "metadata": {}}}
    for slug, speaker in (("auto", "ChatGPT"), ("research", "ChatGPT"), ("gpt-5-thinking", "GPT-5 Thinking")):
        export = [{"title": "Tides", "create_time": 1718100000, "current_node": "a",
                   "mapping": {"u": question, "a": answer(slug)}}]
        [chat] = read_bytes(Path("conversations.json"), json.dumps(export).encode(), "conversations.json").conversations
        assert [m.speaker for m in chat.messages] == ["User", speaker]


def test_chatgpt_follows_the_current_branch_and_names_models():
    [chat] = models("chatgpt.json")
    shown = [m for m in chat["messages"] if m.get("kind") != "version"]
    assert [m["speaker"] for m in shown] == ["User", "GPT-4o", "User", "GPT-4o mini"]
    # The other branches are kept, folded, right after the message they are other versions of.
    versions = [(m["index"], m["text"]) for m in chat["messages"] if m.get("kind") == "version"]
    assert versions == [(4, "**User:**\n\n(an edit that was abandoned)"), (6, "**GPT-4o:**\n\n(a regenerated answer)")]
    assert chat["messages"][0]["time"] == "2024-06-11T10:00:00+00:00"
    assert chat["messages"][2]["text"] == "*[image]*\n\nBrittany, tomorrow."  # the export holds the image's pointer only
    assert chat["title"] == "Tide tables"


def _chatgpt_node(number: int, role: str, content: dict, **message) -> dict:
    return {"id": f"n{number}", "parent": f"n{number - 1}" if number > 1 else None, "children": [f"n{number + 1}"],
            "message": {"author": {"role": role, "name": message.pop("name", None)}, "create_time": 1718100000 + number,
                        "content": content, "metadata": message.pop("metadata", {}), **message}}


def test_chatgpt_keeps_custom_instructions_memory_and_what_the_browsing_tool_read(tmp_path):
    nodes = [_chatgpt_node(1, "system", {"content_type": "text", "parts": [""]},
                           metadata={"is_visually_hidden_from_conversation": True}),
             _chatgpt_node(2, "user", {"content_type": "user_editable_context", "user_profile": "I sail a dinghy.",
                                       "user_instructions": "Be brief."},
                           metadata={"is_visually_hidden_from_conversation": True, "is_user_system_message": True}),
             _chatgpt_node(3, "assistant", {"content_type": "model_editable_context", "model_set_context": "Sails."}),
             _chatgpt_node(4, "user", {"content_type": "text", "parts": ["Wind tomorrow?"]}),
             _chatgpt_node(5, "assistant", {"content_type": "code", "language": "unknown", "text": "search('wind')"},
                           recipient="browser"),
             _chatgpt_node(6, "tool", {"content_type": "tether_browsing_display", "result": "Force 4, gusting 6.",
                                       "summary": None}, name="browser"),
             _chatgpt_node(7, "tool", {"content_type": "tether_quote", "url": "https://wind.example/a b", "text": "Gusty.",
                                       "title": "Forecast", "domain": "wind.example"}, name="browser"),
             _chatgpt_node(8, "tool", {"content_type": "tether_quote", "url": "https://wind.example/", "text": "Calm.",
                                       "domain": "wind.example"}, name="browser"),
             _chatgpt_node(9, "assistant", {"content_type": "text", "parts": ["Force 4."]},
                           metadata={"model_slug": "gpt-4o"}),
             _chatgpt_node(10, "user", {"content_type": "user_editable_context", "user_profile": "", "user_instructions": ""}),
             _chatgpt_node(11, "tool", {"content_type": "sonic_webpage", "url": "https://tide.example/", "domain":
                                        "tide.example", "title": "Tides", "text": "Spring tides."}, name="web"),
             _chatgpt_node(12, "tool", {"content_type": "citable_code_output", "output_str": "2.4 m"}, name="python"),
             _chatgpt_node(13, "tool", {"content_type": "computer_output", "computer_id": "c1",
                                        "screenshot": {"content_type": "image_asset_pointer"}}, name="computer"),
             _chatgpt_node(14, "tool", {"content_type": "system_error", "name": "ToolTimeout", "text": "No answer."},
                           name="python")]
    nodes[-1]["children"] = []
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([{"title": "Wind", "current_node": "n14", "mapping": {n["id"]: n for n in nodes}}]), "utf-8")
    [chat] = read_file(path, "conversations.json").conversations
    assert [(m.speaker, m.kind, m.text) for m in chat.messages] == [
        ("Custom instructions", "context", "I sail a dinghy.\n\nBe brief."),
        ("Memory", "context", "Sails."),
        ("User", "message", "Wind tomorrow?"),
        ("ChatGPT", "tool_call", "```\nsearch('wind')\n```"),  # no language: the export's 'unknown' is none
        ("browser", "tool_result", "Force 4, gusting 6."),
        ("browser", "tool_result", "Gusty.\n\n— Forecast https://wind.example/a b"),
        ("browser", "tool_result", "Calm.\n\n— wind.example <https://wind.example/>"),
        ("GPT-4o", "message", "Force 4."),  # and empty custom instructions are no message
        ("web", "tool_result", "Spring tides.\n\n— Tides <https://tide.example/>"),  # a page the model read
        ("python", "tool_result", "```\n2.4 m\n```"), ("computer", "tool_result", "*[screenshot]*"),
        ("python", "tool_result", "**ToolTimeout**\n\nNo answer.")]
    assert chat.participants == ["User", "GPT-4o"]


def test_claude_ai_thinking_attachments_and_empty_messages():
    [chat] = models("claude_ai.json")
    kinds = [(m["speaker"], m.get("kind", "message")) for m in chat["messages"]]
    assert kinds == [("Human", "context"), ("Human", "message"), ("Claude", "thinking"), ("Claude", "message"),
                     ("Human", "message")]
    assert chat["messages"][0]["text"] == "`coast.txt`\n\n```\nrocky\n```"  # the attached file's text, folded
    assert chat["messages"][1]["text"] == "Suggest names for a lighthouse."
    assert chat["messages"][4]["text"] == ""


def test_claude_ai_keeps_text_pasted_at_length_and_names_files_it_has_no_text_of(tmp_path):
    pasted = "line one\n```\nline three, after a fence\n"
    message = {"uuid": "m1", "sender": "human", "created_at": "2025-02-01T09:00:00Z", "text": "Look at this.",
               "content": [{"type": "text", "text": "Look at this."}],
               "attachments": [{"file_name": "", "file_size": 40, "file_type": "txt", "extracted_content": pasted},
                               {"file_name": "chart.png", "extracted_content": ""}],
               "files": [{"file_name": "photo.jpg"}]}
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([{"uuid": "c1", "name": "Paste", "chat_messages": [message]}]), "utf-8")
    [chat] = read_file(path, "conversations.json").conversations
    assert [(m.speaker, m.kind) for m in chat.messages] == [("Human", "context"), ("Human", "message")]
    assert chat.messages[0].text == "Pasted text\n\n````\n" + pasted + "\n````"  # every character, fenced past its fence
    assert chat.messages[1].text == "Look at this.\n\nAttachments: `chart.png`, `photo.jpg`"


def test_openai_tool_calls_and_results_are_their_own_blocks():
    [chat] = models("openai.json")
    assert [(m["speaker"], m.get("kind", "message")) for m in chat["messages"]] == [
        ("System", "context"), ("User", "message"), ("GPT-4.1", "tool_call"), ("tool", "tool_result"),
        ("GPT-4.1", "message")]
    assert chat["participants"] == ["User", "GPT-4.1"]  # the system prompt instructs; it does not take part
    assert '"city": "Oslo"' in chat["messages"][2]["text"]


def test_openai_messages_keep_reasoning_refusals_legacy_calls_and_audio_transcripts(tmp_path):
    """What chat APIs return beside `content`: a reasoning model's thoughts (`reasoning_content`, as
    DeepSeek and vLLM return them, or `reasoning`), a refusal, the older `function_call`, a spoken
    answer's transcript, and parts that are files or audio. Each was dropped without a trace."""
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "Read this chart."},
                                     {"type": "file", "file": {"filename": "tides.pdf", "file_data": "JVBER"}},
                                     {"type": "input_audio", "input_audio": {"data": "UklGR", "format": "wav"}}]},
        {"role": "assistant", "reasoning_content": "The chart shows two highs.", "content": "Two high tides."},
        {"role": "assistant", "content": None, "refusal": "I can't read that file."},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "Not that either."}]},
        {"role": "assistant", "content": None, "function_call": {"name": "lookup", "arguments": "{\"port\": \"Brest\"}"}},
        {"role": "assistant", "content": None, "audio": {"id": "audio_1", "transcript": "High water at six."}},
    ]
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"model": "deepseek-reasoner", "messages": messages}), "utf-8")
    [chat] = read_file(path, "chat.json").conversations
    assert [(m.kind, m.text) for m in chat.messages] == [
        ("message", "Read this chart.\n\n*[file: tides.pdf]*\n\n*[audio]*"),
        ("thinking", "The chart shows two highs."), ("message", "Two high tides."),
        ("message", "I can't read that file."), ("message", "Not that either."),
        ("tool_call", '**lookup**\n\n```json\n{\n  "port": "Brest"\n}\n```'),
        ("message", "High water at six.")]


def test_chats_in_json_of_a_shape_no_reader_knows_are_read_where_their_messages_are(tmp_path):
    """An app's export keyed by chat id ('turns' of role and content), and Open WebUI's (a list of
    chats, each holding its 'messages'): every list of messages is a conversation, titled and dated
    by the object around it. They were 'not a transcript', and every chat in them was lost."""
    notes = read_file(FORMATS / "notes_app_chats.json", "notes_app_chats.json")
    assert [(c.title, len(c.messages)) for c in notes.conversations] == [
        ("Which notes mention the tide gauge?", 4), ("Empty graph", 2)]
    assert notes.conversations[0].speakers == ["User", "Assistant"]  # the app calls it 'ai'
    assert notes.conversations[1].started == datetime.fromisoformat("2026-01-02T09:00:00+00:00")
    [webui] = read_file(FORMATS / "open_webui.json", "open_webui.json").conversations
    assert webui.title == "🌊 Tide table arithmetic" and webui.speakers == ["User", "Llama3.1 8B"]
    assert [m.time.isoformat() for m in webui.messages] == ["2026-01-03T08:50:00+00:00", "2026-01-03T08:50:07+00:00"]
    assert "**12:22**" in webui.messages[1].text
    # A model arena's pair: two answers to one prompt, each side by the model beside it.
    arena = tmp_path / "arena.json"
    arena.write_text(json.dumps([{"model_a": "vicuna-13b", "model_b": "gpt-4", "tstamp": 1682351591.13,
                                  "conversation_a": [{"role": "user", "content": "What tide is it?"},
                                                     {"role": "assistant", "content": "I cannot know."}],
                                  "conversation_b": [{"role": "user", "content": "What tide is it?"},
                                                     {"role": "assistant", "content": "Check the tide table."}]}]), "utf-8")
    sides = read_file(arena, "arena.json").conversations
    assert [c.speakers for c in sides] == [["User", "vicuna-13b"], ["User", "GPT-4"]]
    assert sides[0].started == datetime.fromisoformat("2023-04-24T15:53:11+00:00")
    # Grok's export: each message wrapped ({"response": {…}}), the title and start in the
    # 'conversation' object beside the 'responses'.
    grok = tmp_path / "grok.json"
    grok.write_text(json.dumps({"conversations": [{
        "conversation": {"title": "Tide tables", "create_time": "2025-06-21T19:28:21.177720Z"},
        "responses": [{"response": {"message": "When is low water?", "sender": "human"}, "share_link": None},
                      {"response": {"message": "About six hours after high water.", "sender": "assistant"}}]}]}), "utf-8")
    [tides] = read_file(grok, "grok.json").conversations
    assert (tides.title, tides.speakers, len(tides.messages)) == ("Tide tables", ["User", "Assistant"], 2)
    assert tides.started == datetime.fromisoformat("2025-06-21T19:28:21.177720+00:00")
    # Google AI Studio's: the model in 'runSettings' beside the prompt, a thought folded as thinking,
    # and the one message left unsent ('pendingInputs') no conversation of its own.
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps({"runSettings": {"model": "models/gemini-2.5-pro", "temperature": 1.0},
                                  "chunkedPrompt": {"chunks": [
                                      {"role": "user", "text": "Is the tide table right?"},
                                      {"role": "model", "text": "**Checking the table**", "isThought": True},
                                      {"role": "model", "text": "Yes, for the north pier."}],
                                      "pendingInputs": [{"role": "user", "text": "And the south"}]}}), "utf-8")
    [checked] = read_file(studio, "studio.json").conversations
    assert [(m.speaker, m.kind) for m in checked.messages] == [
        ("User", "message"), ("Gemini 2.5 Pro", "thinking"), ("Gemini 2.5 Pro", "message")]
    # A prompt and its settings, with no one but the system speaking, is no conversation.
    config = tmp_path / "prompt.json"
    config.write_text(json.dumps({"name": "helper", "prompt": {"turns": [{"role": "system", "content": "Be brief."},
                                                                         {"role": "System", "content": "Be kind."}]}}),
                      "utf-8")
    result = read_file(config, "prompt.json")
    assert result.conversations == [] and "not a transcript" in result.diagnostics[0].message


def test_reasoning_written_inline_between_think_tags_is_thinking(tmp_path):
    """Reasoning models write their thoughts first, between <think> and </think>; ShareGPT datasets and
    chat logs keep them inline in the answer. They are the answer's thinking, folded, not its text."""
    sharegpt = {"conversations": [
        {"from": "human", "value": "1 + 1?"},
        {"from": "gpt", "value": "<think>\nOne and one.\nTwo.\n</think>\n\nIt is 2."},
        {"from": "gpt", "value": "<think>\n</think>\nIt is still 2."},  # an empty thought is no turn
        {"from": "gpt", "value": "Mention <think> and </think> mid-answer: text."},
        {"from": "observation", "value": "<think>a tool's output is as it is</think>"}]}
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(sharegpt) + "\n", "utf-8")
    [chat] = read_file(path, "chats.jsonl").conversations
    assert [(m.kind, m.text) for m in chat.messages] == [
        ("message", "1 + 1?"), ("thinking", "One and one.\nTwo."), ("message", "It is 2."),
        ("message", "It is still 2."), ("message", "Mention <think> and </think> mid-answer: text."),
        ("tool_result", "<think>a tool's output is as it is</think>")]
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "Why?"},
                                             {"role": "assistant", "content": "<think>Because.</think>So."}]}), "utf-8")
    [chat] = read_file(path, "chat.json").conversations
    assert [(m.kind, m.text) for m in chat.messages] == [("message", "Why?"), ("thinking", "Because."),
                                                         ("message", "So.")]
    # SillyTavern, when it was not set to take the reasoning apart itself: a character's reply only.
    lines = [{"user_name": "Wren", "character_name": "Ilse", "create_date": "2025-02-14T20:15:03.120Z"},
             {"name": "Wren", "is_user": True, "mes": "<think>I typed this</think> myself", "extra": {}},
             {"name": "Ilse", "is_user": False, "mes": "<think>\nShe asks about the lamp.\n</think>\nIt is lit.", "extra": {}}]
    path = tmp_path / "ilse.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    [chat] = read_file(path, "ilse.jsonl").conversations
    assert [(m.kind, m.text) for m in chat.messages] == [("message", "<think>I typed this</think> myself"),
                                                         ("thinking", "She asks about the lamp."), ("message", "It is lit.")]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 400)), deadline=None)
@given(st.text(st.sampled_from(list("<>/think \nab")), max_size=40))
def test_setting_a_thought_apart_loses_only_its_tags_and_the_newlines_about_them(text):
    from generator.readers.common import thought_apart
    turns = thought_apart("Model", text, 1)
    if [(t.kind, t.text) for t in turns] == [("message", text)]:  # no thought opens it: as it is
        return
    assert text.lstrip().startswith("<think>") and turns[-1].kind in ("message", "thinking")
    start = text.index("<think>")
    end = text.index("</think>", start)
    unspaced = lambda value: re.sub(r"\s", "", value)  # noqa: E731 (newlines about the tags are not kept)
    assert unspaced("".join(t.text for t in turns)) == unspaced(text[start + 7:end] + text[end + 8:])


def test_claude_code_session_blocks_and_title():
    [session] = models("claude_code.jsonl")
    assert session["title"] == "Fix the failing pagination test"
    assert [m.get("kind", "message") for m in session["messages"]] == [
        "message", "thinking", "message", "tool_call", "tool_result", "message"]
    assert session["metadata"]["Git branch"] == "main"


def test_server_tool_blocks_documents_and_blocks_of_unknown_types_keep_their_text(tmp_path):
    """The API runs some tools itself (web search, code), and MCP servers others: their calls and results,
    documents given to the model, and blocks of types this reader does not know are shown, not dropped."""
    blocks = [
        {"type": "text", "text": "Checking the almanac."},
        {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"query": "neap tide"}},
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [
            {"type": "web_search_result", "title": "Neap <tides>", "url": "https://tides.example/neap",
             "encrypted_content": "Qk9H", "page_age": "3 days"}]},
        {"type": "web_fetch_tool_result", "tool_use_id": "srvtoolu_2", "content": {
            "type": "web_fetch_tool_result_error", "error_code": "url_not_accessible"}},
        {"type": "bash_code_execution_tool_result", "tool_use_id": "srvtoolu_3", "content": {
            "type": "bash_code_execution_result", "stdout": "ebb 04:12", "stderr": "", "return_code": 0}},
        {"type": "mcp_tool_use", "id": "mcptoolu_1", "name": "chart", "server_name": "harbour", "input": {"at": "pier"}},
        {"type": "mcp_tool_result", "tool_use_id": "mcptoolu_1", "is_error": True,
         "content": [{"type": "text", "text": "no chart for the pier"}]},
        {"type": "redacted_thinking", "data": "RVFa"},
        {"type": "document", "title": "Harbour rules", "source": {"type": "text", "media_type": "text/plain",
                                                                   "data": "No mooring\nat the steps."}},
        {"type": "document", "title": "Lease", "source": {"type": "base64", "media_type": "application/pdf",
                                                           "data": "JVBERi0x"}},
        {"type": "sonar_ping", "depth": 12, "note": "a type from after this reader was written"},
    ]
    record = {"type": "assistant", "uuid": "a1", "sessionId": "s1", "timestamp": "2026-03-01T10:00:00Z",
              "message": {"role": "assistant", "model": "claude-sonnet-4-5", "content": blocks}}
    ask = {"type": "user", "uuid": "u1", "sessionId": "s1", "timestamp": "2026-03-01T09:59:00Z",
           "message": {"role": "user", "content": "When is the neap tide?"}}
    path = tmp_path / "session.jsonl"
    path.write_text(json.dumps(ask) + "\n" + json.dumps(record) + "\n", "utf-8")
    [chat] = read_file(path, "session.jsonl").conversations
    said = [(m.kind, m.text) for m in chat.messages[1:]]
    assert [kind for kind, _ in said] == ["message", "tool_call", "tool_result", "tool_result", "tool_result",
                                          "tool_call", "tool_result", "thinking", "context", "context", "context"]
    texts = [text for _, text in said]
    assert texts[1] == '**web_search**\n\n```json\n{\n  "query": "neap tide"\n}\n```'
    assert texts[2] == "```\ntitle: Neap <tides>\nurl: https://tides.example/neap\npage_age: 3 days\n```"
    assert "Qk9H" not in texts[2]  # the API's encrypted copy of the page is for the API
    assert texts[3] == "**error**\n\n```\nerror_code: url_not_accessible\n```"
    assert texts[4] == "```\nebb 04:12\nreturn_code: 0\n```"
    assert texts[5].startswith("**harbour: chart**")
    assert texts[6] == "**error**\n\n```\nno chart for the pier\n```"
    assert texts[7] == "*[redacted thinking]*"
    assert texts[8] == "`Harbour rules`\n\n```\nNo mooring\nat the steps.\n```"
    assert texts[9] == "`Lease`\n\n```\n[application/pdf]\n```"  # the file itself is not spelled out
    assert texts[10] == "`sonar_ping`\n\n```\ndepth: 12\nnote: a type from after this reader was written\n```"


def test_a_claude_code_tool_call_shows_what_it_does_and_all_it_was_given():
    from generator.readers.claude_code import tool_text
    assert tool_text("Read", {"file_path": "/pier/tides.md", "offset": 10, "limit": 40}) == \
        "**Read** `/pier/tides.md`\n\n- limit: `40`\n- offset: `10`"
    assert tool_text("Grep", {"pattern": "high`water", "-i": True}) == "**Grep** ``high`water``\n\n- -i: `true`"
    assert tool_text("Task", {"description": "Find the column", "subagent_type": "Explore",
                              "prompt": "Search for **high_water**."}) == \
        "**Task** — Find the column — Explore\n\nSearch for **high_water**."
    assert tool_text("TodoWrite", {"todos": [
        {"content": "Parse the table", "status": "completed", "activeForm": "Parsing the table"},
        {"content": "Convert units", "status": "in_progress", "activeForm": "Converting units"},
        {"content": "Print", "status": "pending", "activeForm": "Printing"}]}) == \
        "**TodoWrite**\n\n- ☑ `Parse the table`\n- ◐ `Convert units`\n- ☐ `Print`"
    assert tool_text("Bash", {"command": "pytest -q", "timeout": 60000}) == \
        "**Bash**\n\n- timeout: `60000`\n\n```sh\n$ pytest -q\n```"
    # What this cannot show as it should is left to the JSON: an older to-do list, a tool it does not know.
    assert tool_text("TodoWrite", {"todos": [{"id": "1", "content": "x", "status": "pending", "priority": "high"}]}) == ""
    assert tool_text("TodoWrite", {"todos": [{"content": "x", "status": 3}]}) == ""  # a status not in words
    assert tool_text("Frobnicate", {"pattern": "x"}) == ""


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 400)), deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(str.strip))
def test_inline_code_shows_its_text_as_written_whatever_backticks_it_holds(text):
    import html
    from generator.readers.common import code_span
    from generator.render.markdown import make_parser
    [shown] = re.findall(r"<code>(.*?)</code>", make_parser(True).render(f"a {code_span(text)} b"), re.S)
    assert html.unescape(shown) == text


_tool_values = st.text(max_size=12) | st.integers() | st.booleans() | st.lists(st.text(max_size=4), max_size=2)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 400)), deadline=None)
@given(st.sampled_from(["Bash", "Read", "Glob", "Grep", "WebSearch", "WebFetch", "Skill", "Task", "ExitPlanMode",
                        "Edit", "Write", "LS"]),
       st.dictionaries(st.sampled_from(["command", "description", "file_path", "pattern", "query", "url", "skill",
                                        "prompt", "plan", "path", "timeout", "-i", "old_string", "new_string",
                                        "content", "output_mode", "glob"]), _tool_values, max_size=5))
def test_a_tool_call_shown_as_what_it_does_keeps_every_value_it_was_given(name, tool_input):
    from generator.readers.claude_code import tool_text
    shown = tool_text(name, tool_input)
    if not shown or name in ("Edit", "Write"):  # JSON, or a diff (which shows the lines, not the strings)
        return
    for key, value in tool_input.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        assert all(line in shown for line in text.split("\n")), (key, value, shown)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 400)), deadline=None)
@given(st.sampled_from(["artifacts", "create_file", "str_replace", "repl", "bash_tool", "web_search", "web_fetch",
                        "view", "google_drive_search"]),
       st.dictionaries(st.sampled_from(["id", "type", "title", "command", "content", "language", "version_uuid",
                                        "old_str", "new_str", "path", "file_text", "code", "command", "query", "url",
                                        "description"]), _tool_values, max_size=6))
def test_a_claude_ai_tool_call_shown_as_what_it_does_keeps_every_value_it_was_given(name, tool_input):
    from generator.readers.claude_ai import tool_text
    shown = tool_text(name, tool_input)
    for key, value in tool_input.items():
        if not shown or key in ("old_str", "new_str", "file_text"):  # JSON, or a diff (lines, not strings)
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        assert all(line in shown for line in text.split("\n")), (key, value, shown)


def test_claude_ai_artifacts_files_and_code_runs_read_as_what_they_are(tmp_path):
    """Claude.ai exports keep an artifact as a tool call whose input holds its whole content: shown as
    that content in its language (an update as a diff), not as a line of escaped JSON."""
    page = "<h1>Tide table</h1>\n<p>High water at 06:12</p>"
    blocks = [
        {"type": "text", "text": "Here is the page."},
        {"type": "tool_use", "name": "artifacts", "input": {"id": "tides", "type": "text/html", "title": "Tide table",
                                                            "command": "create", "content": page, "language": None}},
        {"type": "tool_result", "name": "artifacts", "content": [{"type": "text", "text": "OK"}]},
        {"type": "tool_use", "name": "artifacts", "input": {"id": "tides", "command": "update",
                                                            "old_str": "06:12", "new_str": "06:14"}},
        {"type": "tool_use", "name": "repl", "input": {"code": "const low = 0.4;\nconsole.log(low)"}},
        {"type": "tool_use", "name": "web_search", "input": {"query": "neap tide dates"}},
        {"type": "tool_result", "name": "web_search", "is_error": False, "content": [
            {"type": "knowledge", "title": "Neap tides", "url": "https://tides.example/neap",
             "text": "Neap tides follow the quarter moons.", "uuid": "k-1"},
            {"type": "text", "text": "1 result", "uuid": "t-1"}]},
        {"type": "token_budget"},
    ]
    message = {"uuid": "m1", "sender": "assistant", "created_at": "2025-11-02T10:00:00Z", "text": "", "content": blocks}
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([{"uuid": "c1", "name": "Tides", "chat_messages": [message]}]), "utf-8")
    [chat] = read_file(path, "conversations.json").conversations
    said = [(m.kind, m.text) for m in chat.messages]
    assert [kind for kind, _ in said] == ["message", "tool_call", "tool_result", "tool_call", "tool_call", "tool_call",
                                          "tool_result"]
    assert said[1][1] == ("**Artifact** `Tide table` — create\n\n- id: `tides`\n- language: `null`\n"
                          "- type: `text/html`\n\n```html\n" + page + "\n```")
    assert said[3][1] == "**Artifact** `tides` — update\n\n```diff\n@@ -1 +1 @@\n-06:12\n+06:14\n```"
    assert said[4][1] == "**repl**\n\n```javascript\nconst low = 0.4;\nconsole.log(low)\n```"
    assert said[5][1] == "**web_search** `neap tide dates`"
    # What the search found: each page's title, address and text (the text alone before), ids left out.
    assert said[6][1] == ("```\ntitle: Neap tides\nurl: https://tides.example/neap\n"
                          "Neap tides follow the quarter moons.\n\n1 result\n```")


def test_subtitles_merge_consecutive_cues_of_one_speaker():
    [vtt] = models("interview.vtt")
    assert [(m["speaker"], m["text"]) for m in vtt["messages"]] == [
        ("Host", "Welcome back to the show.\nToday we talk about archives."), ("Guest", "Thanks for having me.")]
    assert vtt["messages"][1]["time"] == "1900-01-01T00:00:05.200000"
    [srt] = models("episode.srt")
    assert [m["speaker"] for m in srt["messages"]] == ["Host", "Guest"]


def test_plain_text_speakers_continuations_and_false_speakers():
    [chat] = models("plain.txt")
    assert [m["speaker"] for m in chat["messages"]] == ["Ada", "Grace", "Ada", "Grace"]
    assert chat["messages"][1]["text"] == "Yes — twice.\n  Once to disk, once to memory."
    assert "http://example.org" in chat["messages"][3]["text"]
    assert chat["messages"][2]["text"] == "Note: the kernel restarted."


def _plain(text: str):
    return read_bytes(Path("t.txt"), text.encode(), "t.txt")


def test_a_models_html_in_a_plain_chat_names_no_one():
    chat = ("User: a page with two boxes, please\nAssistant: Here:\n<div>\n<div>Left</div>\n<div>Right</div>\n"
            "</div>\n<!-- the end -->\n<!-- really -->\nUser: thanks\nAssistant: any time\n")
    [conversation] = _plain(chat).conversations
    assert [m.speaker for m in conversation.messages] == ["User", "Assistant", "User", "Assistant"]
    assert conversation.messages[1].text.endswith("<!-- really -->")


def test_an_irc_log_names_its_nicks_and_keeps_their_times():
    log = "[21:04] <gull> tide is in\n[21:05] <+tern> so it is\n<@gull> going out at ten\n<tern> noted\n"
    [conversation] = _plain(log).conversations
    assert [(m.speaker, m.text) for m in conversation.messages] == [
        ("gull", "tide is in"), ("tern", "so it is"), ("gull", "going out at ten"), ("tern", "noted")]
    assert conversation.messages[1].time.strftime("%H:%M") == "21:05"


def test_sections_an_assistant_writes_as_headings_are_not_speakers():
    # A day's notes of sessions: each heading once, as an answer's sections are.
    notes = ("# 2026-02-03\n\n**09:12 AM:** set up the tide gauge -> done\n\n## Gauge set up\n\n"
             "### What Was Done:\n1. Wired the float\n\n### Files Created:\n- `gauge.py`\n\n"
             "### Next Steps:\n- [ ] Calibrate at low water\n")
    assert not _plain(notes).conversations
    chat = ("User: plan it\nAssistant: Sure.\n### Goals:\n- a\n### Risks:\n- b\n### Steps:\n- c\nUser: good\n"
            "Assistant: then we start\n")
    [conversation] = _plain(chat).conversations
    assert [m.speaker for m in conversation.messages] == ["User", "Assistant", "User", "Assistant"]
    assert "### Risks:" in conversation.messages[1].text


def test_a_diary_with_bold_fields_under_its_entries_is_not_a_chat():
    diary = "".join(f"---\n### {hour:02d}:15 AM — {topic}\n\n**Actions:**\n- checked the {topic}\n\n"
                    for hour, topic in enumerate(["pier", "lamp", "ferry", "gauge"], 1))
    result = _plain("# 2026-02-04\n\n" + diary)
    assert not result.conversations and "a diary" in result.diagnostics[0].message


BROWSER_EXPORT = """# Tide table parser

**User:** Anonymous  
**Created:** 6/7/2026 11:58:31  
**Exported:** 6/8/2026 12:01:19  
**Link:** [https://claude.ai/chat/0c1d2e3f](https://claude.ai/chat/0c1d2e3f)  

## Prompt:
2026/6/7 11:58:28

How do I parse the tide table?

## Response:
2026/6/7 11:58:30

Start with the header row.

## Step one: read the file

Then split each row.

## Prompt:
2026/6/7 12:07:58

It works.

## Response:
2026/6/7 12:07:59

Good.
"""


def test_a_chat_exported_by_a_browser_extension_names_who_answered_and_when():
    [chat] = _plain(BROWSER_EXPORT).conversations
    assert [(m.speaker, m.time.strftime("%H:%M:%S")) for m in chat.messages] == [
        ("User", "11:58:28"), ("Claude", "11:58:30"), ("User", "12:07:58"), ("Claude", "12:07:59")]
    assert chat.messages[0].text == "How do I parse the tide table?"
    assert "## Step one: read the file" in chat.messages[1].text  # the answer's own section
    assert chat.started == datetime(2026, 6, 7, 11, 58, 28)
    assert chat.metadata["Created"] == "6/7/2026 11:58:31"  # kept as written: June or July is not said
    assert chat.metadata["Link"] == "https://claude.ai/chat/0c1d2e3f"  # written '[https://…](https://…)'
    # Another site's link, or none: the answer is the assistant's.
    other = BROWSER_EXPORT.replace("https://claude.ai/chat/0c1d2e3f", "https://example.org/c/1")
    assert {m.speaker for m in _plain(other).conversations[0].messages} == {"User", "Assistant"}


def test_a_time_written_in_american_english_on_top_of_each_message_is_its_time():
    american = BROWSER_EXPORT.replace("2026/6/7 11:58:28", "6/7/2026, 11:58:28 AM").replace(
        "2026/6/7 11:58:30", "6/7/2026, 11:58:30 AM").replace("2026/6/7 12:07:58", "6/7/2026, 12:07:58 PM").replace(
        "2026/6/7 12:07:59", "6/7/2026, 12:07:59 PM")
    [chat] = _plain(american).conversations
    assert [m.time for m in chat.messages] == [datetime(2026, 6, 7, 11, 58, 28), datetime(2026, 6, 7, 11, 58, 30),
                                               datetime(2026, 6, 7, 12, 7, 58), datetime(2026, 6, 7, 12, 7, 59)]
    assert chat.messages[0].text == "How do I parse the tide table?"
    midnight = american.replace("6/7/2026, 11:58:28 AM", "6/7/2026, 12:00:05 AM")
    assert _plain(midnight).conversations[0].messages[0].time == datetime(2026, 6, 7, 0, 0, 5)
    for wrong in ("6/7/2026, 13:58:28 PM", "2/30/2026, 11:58:28 AM"):  # no such hour, no such day: text
        assert _plain(american.replace("6/7/2026, 11:58:28 AM", wrong)).conversations[0].messages[0].text.startswith(
            wrong.split(",")[0])


def test_the_signature_an_exporter_puts_under_the_last_answer_is_metadata():
    signed = BROWSER_EXPORT + "\n\n\n---\nPowered by [Tide Exporter](https://exporter.example/tide)\n"
    [chat] = _plain(signed).conversations
    assert chat.messages[-1].text == "Good."
    assert chat.metadata["Exported with"] == "Tide Exporter (https://exporter.example/tide)"
    # A rule and a line of the answer's own at its end stay in it.
    kept = BROWSER_EXPORT + "\n---\nPowered by the tides, and [a link](https://tides.example/) too.\n"
    assert _plain(kept).conversations[0].messages[-1].text.endswith("Powered by the tides, and [a link](https://tides.example/) too.")


def test_a_time_on_top_of_only_some_messages_stays_their_text():
    text = BROWSER_EXPORT.replace("2026/6/7 12:07:58\n\n", "")
    [chat] = _plain(text).conversations
    assert chat.messages[0].text.startswith("2026/6/7 11:58:28") and chat.messages[0].time is None
    impossible = BROWSER_EXPORT.replace("2026/6/7 12:07:59", "2026/2/30 12:07:59")
    assert _plain(impossible).conversations[0].messages[3].text.startswith("2026/2/30")


def test_backrooms_rounds_endings_and_file_name_metadata():
    [log] = models("claude1_claude2_cli-explore_20240321_101500.txt")
    # The file name names the seats ('claude1_claude2'), not models: the labels stay.
    assert [m["speaker"] for m in log["messages"]] == ["Claude 1", "Claude 2", "Claude 1", "Claude 2"]
    assert log["started"] == "2024-03-21T10:15:00"
    assert log["metadata"]["Template"] == "cli-explore"
    assert log["metadata"]["Ending"] == "Claude 2 has ended the conversation with ^C^C."
    assert "Round" not in " ".join(m["text"] for m in log["messages"])


@pytest.mark.parametrize("name, text, line, message", [
    ("cut.json", '[{"title": "a", "mapping": {}}, {"title": "b", "mapp', 1, "invalid JSON"),
    ("cut2.json", '[{"title": "a", "mapping": {}},\n', 2, "the file ends inside the top-level array"),
    ("shape.json", '[{"title": "a", "mapping": {}},\n {"title": "b", "mapping": []}]', 2, "$[1].mapping: expected an object"),
    ("lines.jsonl", '\n{not json}\n{"conversations": [{"from": "hu', 2, "line is not JSON"),  # no line of JSON
    ("turns.json", '{"messages": [{"role": "user", "content": "a"}, "oops"]}', 1, "$.messages[1]: expected an object"),
])
def test_malformed_sources_name_the_line_and_path(name, text, line, message):
    with pytest.raises(SourceError) as caught:
        read_bytes(Path(name), text.encode(), name)
    assert caught.value.diagnostic.line == line
    assert message in caught.value.diagnostic.message


def test_unknown_json_is_a_note_not_an_error():
    result = read_bytes(Path("package.json"), b'{"name": "x", "version": "1.0.0"}', "package.json")
    assert result.format == "" and [d.level for d in result.diagnostics] == ["note"]


def test_conversation_json_is_what_json_dumps_writes():
    """conversation.json writes its messages out string by string; it must be json.dumps's output exactly."""
    from datetime import datetime, timedelta, timezone

    from hypothesis import given, settings, strategies as st

    from generator.insights import insights
    from generator.model import Conversation, Message
    texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
    times = st.none() | st.datetimes(timezones=st.none() | st.just(timezone(timedelta(hours=9))))
    messages = st.lists(st.tuples(texts, texts, st.integers(0, 10**6), times,
                                  st.sampled_from(["message", "thinking", "tool_call"]), texts), max_size=5)

    @settings(max_examples=500, deadline=None)
    @given(texts, messages)
    def check(title, parts):
        conversation = Conversation(title, [Message(i + 1, s, t, line, when, kind, label)
                                            for i, (s, t, line, when, kind, label) in enumerate(parts)],
                                    Path("x.md"), started=datetime(2025, 1, 2, 3, 4, 5), tags=[title])
        expected = {"title": title, "slug": "", "participants": conversation.speakers,
                    "started": "2025-01-02T03:04:05", "ended": None, "tags": [title], "summary": "", "metadata": {},
                    "source": "x.md", "insights": insights(conversation.messages, conversation.metadata).numbers(), "messages": [
                        {"index": i + 1, "speaker": s, "text": t, "line": line,
                         **({"time": when.isoformat()} if when else {}), **({"kind": kind} if kind != "message" else {}),
                         **({"label": label} if label else {})}
                        for i, (s, t, line, when, kind, label) in enumerate(parts)]}
        assert conversation_json(conversation, "x.md") == json.dumps(expected, ensure_ascii=False,
                                                                    separators=(",", ":")) + "\n"
    check()


def test_claude_code_records_that_are_not_speech_are_their_own_kinds():
    [session] = models("claude_code_modern.jsonl")
    kinds = [(m["speaker"], m.get("kind", "message")) for m in session["messages"]]
    assert kinds == [
        ("User", "note"), ("User", "command"), ("User", "command"), ("User", "message"),
        ("Claude Sonnet 4.5", "tool_call"), ("Task", "agent"), ("Claude Haiku 4.5", "agent"), ("Tool", "tool_result"),
        ("Claude Sonnet 4.5", "tool_call"), ("Claude Sonnet 4.5", "tool_call"), ("System", "note"),
        ("User", "summary"), ("Claude Sonnet 4.5", "message")]
    assert session["participants"] == ["User", "Claude Sonnet 4.5"]  # the sub-agent is no participant
    texts = [m["text"] for m in session["messages"]]
    assert texts[1] == "`/clear`" and "-high_water = row[2]\n+peak = row[2]" in texts[8]
    assert texts[9].startswith("**Bash** — Run the tests") and "$ pytest -q" in texts[9]
    assert session["title"] == "Rename the tide table column and tell me what else uses it."


def _message_view(messages) -> list[tuple]:
    return [(m.speaker, m.kind, m.text) for m in messages]


def test_a_damaged_line_of_a_session_is_kept_as_written_and_the_rest_is_read():
    """A session cut off mid-line (the last record half written) or edited by hand: every other line is
    read as before, and each damaged line is a note on the page, as written, where it stood."""
    lines = (FORMATS / "claude_code_modern.jsonl").read_text("utf-8").rstrip("\n").split("\n")
    edited = '{"type":"user","message":{"content":"the tide [EDITED OUT]\n'
    cut_off = lines[-1][:len(lines[-1]) // 2]
    damaged = lines[:4] + [edited.rstrip("\n")] + lines[5:-1] + [cut_off]
    result = read_bytes(Path("s.jsonl"), "\n".join(damaged).encode(), "s.jsonl")
    [session] = result.conversations
    whole = read_file(FORMATS / "claude_code_modern.jsonl").conversations[0]
    # one warning for the file, at the first damaged line, naming them all
    assert [(d.line, d.level) for d in result.diagnostics] == [(5, "warning")]
    assert f"2 lines are not JSON (lines 5, {len(lines)}; the first: line is not JSON" in result.diagnostics[0].message
    notes = [m for m in session.messages if m.speaker == "Unreadable line"]
    assert [m.kind for m in notes] == ["note", "note"]
    assert edited.rstrip("\n") in notes[0].text and cut_off in notes[1].text
    assert notes[0].text.startswith("Line 5 of the file is not JSON: ")
    read = [m for m in session.messages if m.speaker != "Unreadable line"]
    assert _message_view(read) == _message_view(m for m in whole.messages if m.line not in (5, len(lines)))
    # In place: after what lines 1-4 gave, before what line 6 gave; the cut-off record last.
    position = session.messages.index(notes[0])
    assert session.messages[position - 1].line < 5 < session.messages[position + 1].line
    assert session.messages[-1] is notes[1]
    assert [m.index for m in session.messages] == list(range(1, len(session.messages) + 1))
    assert session.metadata["Messages"] == str(len(session.messages))


@pytest.mark.parametrize("fixture, which", [("sillytavern.jsonl", 0), ("sillytavern.jsonl", -1), ("claude_code.jsonl", -1)])
def test_a_line_of_a_session_edited_into_other_json_is_kept_as_written(fixture, which):
    """Found by Hypothesis: a session's line that is JSON but no record ('false', '12'), its header
    line included, refused the whole file or hid what it was."""
    lines = (FORMATS / fixture).read_text("utf-8").rstrip("\n").split("\n")
    lines[which] = "false"
    result = read_bytes(Path(fixture), "\n".join(lines).encode(), fixture)
    [session] = result.conversations
    number = which % len(lines) + 1
    assert [(d.line, d.level) for d in result.diagnostics] == [(number, "warning")]
    assert "not a JSON object but true/false" in result.diagnostics[0].message
    assert [m.text for m in session.messages if m.speaker == "Unreadable line"] == [
        f"Line {number} of the file is not a JSON object but true/false. As written:\n\n```\nfalse\n```"]


def test_a_damaged_line_in_a_file_of_conversations_is_an_error_and_the_others_are_read():
    text = ('{"conversations": [{"from": "human", "value": "first"}, {"from": "gpt", "value": "one"}]}\n'
            '{"conversations": [{"from": "human", "val\n'
            '{"conversations": [{"from": "human", "value": "third"}, {"from": "gpt", "value": "three"}]}\n')
    result = read_bytes(Path("d.jsonl"), text.encode(), "d.jsonl")
    assert [c.messages[0].text for c in result.conversations] == ["first", "third"]
    assert [(d.line, d.level) for d in result.diagnostics] == [(2, "error")]
    assert "left out" in result.diagnostics[0].message


def _session_line(session: str, uuid: str, role: str, text: str, **more) -> str:
    message = {"role": role, "content": text} if role == "user" else {
        "role": role, "model": "claude-haiku-4-5-20251001", "content": [{"type": "text", "text": text}]}
    return json.dumps({"parentUuid": None, "isSidechain": False, "sessionId": session, "type": role,
                       "message": message, "uuid": uuid, "timestamp": "2025-10-01T09:00:00.000Z", **more})


def test_a_sub_agents_own_file_is_its_own_conversation():
    """Claude Code writes each sub-agent's work to agent-<id>.jsonl under its parent session's id."""
    agent = "\n".join([
        _session_line("s-77", "b1", "user", "List every caller of tide_table.", isSidechain=True, agentId="f00d"),
        _session_line("s-77", "b2", "assistant", "Three callers: the report, the chart, the export.",
                      isSidechain=True, agentId="f00d")])
    parent = (FORMATS / "claude_code_modern.jsonl").read_bytes()
    [sub] = read_bytes(Path("agent-f00d.jsonl"), agent.encode(), "agent-f00d.jsonl").conversations
    [main] = read_bytes(Path("s-77.jsonl"), parent, "s-77.jsonl").conversations
    assert [(m.speaker, m.kind) for m in sub.messages] == [("Task", "message"), ("Claude Haiku 4.5", "message")]
    assert sub.title == "List every caller of tide_table."
    assert sub.metadata["Session"] == main.metadata["Session"] == "s-77" and sub.metadata["Agent"] == "f00d"
    kept, problems = drop_duplicates([main, sub], Path("."))
    assert kept == [main, sub] and problems == []
    tagging = Identity({}, "", auto_tags=True)
    assert [tagging.apply(c).tags for c in (main, sub)] == [[], ["sub-agent"]]  # found together at tags/sub-agent/


def test_claude_codes_own_notices_are_notes_not_a_speaker():
    """Claude Code writes an API error or a timeout as an assistant message of the model '<synthetic>'."""
    notice = json.loads(_session_line("s-3", "d2", "assistant", "Request timed out", isApiErrorMessage=True))
    notice["message"]["model"] = "<synthetic>"
    lines = [_session_line("s-3", "d1", "user", "Measure the tide at noon."), json.dumps(notice)]
    [session] = read_bytes(Path("s-3.jsonl"), "\n".join(lines).encode(), "s-3.jsonl").conversations
    assert [(m.speaker, m.kind, m.text) for m in session.messages] == [
        ("User", "message", "Measure the tide at noon."), ("Claude Code", "note", "Request timed out")]
    assert session.participants == []  # one voice: no pair, and no '<synthetic>' speaker


def test_a_session_is_titled_by_its_own_summary_or_its_first_telling_request():
    """A session's file starts with summaries of the project's earlier sessions (their messages are in
    other files); they name other work. Its own summary names it; else what the user first asked of a
    few words ('hi' names nothing)."""
    foreign = json.dumps({"type": "summary", "summary": "Invalid API key · Please run /login", "leafUuid": "elsewhere"})
    own = json.dumps({"type": "summary", "summary": "Pier four gauge offset", "leafUuid": "e4"})
    lines = [foreign, _session_line("s-5", "e1", "user", "hi"), _session_line("s-5", "e2", "assistant", "Hello."),
             _session_line("s-5", "e3", "user", "Compare the pier four offset with the survey"),
             _session_line("s-5", "e4", "assistant", "It is 3.1 cm high.")]
    [untitled] = read_bytes(Path("s-5.jsonl"), "\n".join(lines).encode(), "s-5.jsonl").conversations
    assert untitled.title == "Compare the pier four offset with the survey"
    [summed] = read_bytes(Path("s-5.jsonl"), "\n".join([own] + lines).encode(), "s-5.jsonl").conversations
    assert summed.title == "Pier four gauge offset"
    [greeting] = read_bytes(Path("s-6.jsonl"), "\n".join(lines[:3]).encode(), "s-6.jsonl").conversations
    assert greeting.title == "hi"  # nothing more telling was asked


def test_claude_codes_note_that_the_user_stopped_it_is_a_note_and_names_no_session():
    """Esc in Claude Code writes "[Request interrupted by user]" as the user's message (a string, or a
    text block beside a tool result): Claude Code's words, not a request to title the session by."""
    stopped = json.loads(_session_line("s-8", "g3", "user", ""))
    stopped["message"]["content"] = [{"type": "text", "text": "[Request interrupted by user for tool use]"}]
    lines = [_session_line("s-8", "g1", "user", "uptime"), _session_line("s-8", "g2", "assistant", "Up 3 days."),
             json.dumps(stopped), _session_line("s-8", "g4", "user", "[Request interrupted by user]")]
    [session] = read_bytes(Path("s-8.jsonl"), "\n".join(lines).encode(), "s-8.jsonl").conversations
    assert [(m.speaker, m.kind, m.text) for m in session.messages] == [
        ("User", "message", "uptime"), ("Claude Haiku 4.5", "message", "Up 3 days."),
        ("User", "note", "[Request interrupted by user for tool use]"), ("User", "note", "[Request interrupted by user]")]
    assert session.title == "uptime"


def test_a_session_of_commands_alone_is_titled_by_them():
    """A session where the user only ran commands ('/login', then '/exit') asked nothing to title it
    by: its commands name it, not its id."""
    lines = [_session_line("s-11", f"w{n}", "user", f"<command-name>{name}</command-name>\n"
                           f"<command-message>{name[1:]}</command-message>\n<command-args></command-args>")
             for n, name in enumerate(["/login", "/exit", "/login"])]
    [session] = read_bytes(Path("s-11.jsonl"), "\n".join(lines).encode(), "s-11.jsonl").conversations
    assert session.title == "/login, /exit"


def test_a_command_claude_code_records_as_a_system_record_reads_as_the_users_command():
    """Later versions write a local command ('/usage') and its output as ``system`` records of the
    subtype ``local_command``, in the wrappers a user record had."""
    ran = {"type": "system", "subtype": "local_command", "sessionId": "s-9", "uuid": "h1", "isMeta": False,
           "timestamp": "2025-10-02T08:00:00.000Z",
           "content": "<command-name>/usage</command-name>\n    <command-message>usage</command-message>\n"
                      "    <command-args></command-args>"}
    said = dict(ran, uuid="h2", content="<local-command-stdout>Usage panel closed</local-command-stdout>")
    lines = [json.dumps(ran), json.dumps(said), _session_line("s-9", "h3", "user", "How full is the disk?")]
    [session] = read_bytes(Path("s-9.jsonl"), "\n".join(lines).encode(), "s-9.jsonl").conversations
    assert [(m.speaker, m.kind, m.text) for m in session.messages] == [
        ("User", "command", "`/usage`"), ("User", "command", "```\nUsage panel closed\n```"),
        ("User", "message", "How full is the disk?")]
    assert session.title == "How full is the disk?"


def test_a_long_tool_result_and_a_long_file_written_reach_the_page_whole(tmp_path):
    """A tool's output (a whole file read, a test log) and a file the model wrote are the transcript's
    own text: none of it is left out, however long, from the message or the page made of it."""
    log = "\n".join(f"gauge {n:05d} reads {n * 7 % 1000} cm" for n in range(3000))  # 90,000 characters
    written = "\n".join(f"row_{n} = {n}" for n in range(1200))
    call = json.loads(_session_line("s-4", "k2", "assistant", ""))
    call["message"]["content"] = [{"type": "tool_use", "id": "t1", "name": "Write",
                                   "input": {"file_path": "/srv/tides/rows.py", "content": written}},
                                  {"type": "tool_use", "id": "t2", "name": "Bash", "input": {"command": "cat gauges.log"}}]
    result = json.loads(_session_line("s-4", "k3", "user", ""))
    result["message"]["content"] = [{"type": "tool_result", "tool_use_id": "t2", "content": log}]
    lines = [_session_line("s-4", "k1", "user", "Write the rows, then show me the gauge log."), json.dumps(call),
             json.dumps(result)]
    source = tmp_path / "content" / "s-4.jsonl"
    source.parent.mkdir()
    source.write_text("\n".join(lines), "utf-8")
    [session] = read_file(source).conversations
    texts = {m.kind: m.text for m in session.messages if m.kind != "message"}
    assert log in texts["tool_result"]
    assert all(f"+row_{n} = {n}" in session.messages[1].text for n in range(1200))
    build(load_config(None, tmp_path, search=False))
    page = html.unescape(next((tmp_path / "site" / "c").glob("*/index.html")).read_text("utf-8"))
    assert "gauge 02999 reads 993 cm" in page and "row_1199 = 1199" in page
    assert "more characters" not in page and "more lines" not in page


def test_a_file_claude_code_read_is_previewed_by_its_text_not_its_line_numbers(tmp_path):
    """The Read tool numbers each line ('     1→'); folded, the result is hinted by the file's first
    words (by '1→' every file read would look alike). The numbers stay in the result itself."""
    call = json.loads(_session_line("s-6", "m2", "assistant", ""))
    call["message"]["content"] = [{"type": "tool_use", "id": "t1", "name": "Read",
                                   "input": {"file_path": "/srv/tides/NOTES.md"}}]
    result = json.loads(_session_line("s-6", "m3", "user", ""))
    result["message"]["content"] = [{"type": "tool_result", "tool_use_id": "t1",
                                     "content": "     1→\n     2→# Pier four survey\n     3→Offset 3.1 cm.\n"}]
    lines = [_session_line("s-6", "m1", "user", "Read the pier notes."), json.dumps(call), json.dumps(result)]
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "s-6.jsonl").write_text("\n".join(lines), "utf-8")
    build(load_config(None, tmp_path, search=False))
    page = html.unescape(next((tmp_path / "site" / "c").glob("*/index.html")).read_text("utf-8"))
    summaries = re.findall(r'<details class="aside-body"><summary>(.*?)</summary>', page)
    assert summaries == ["Read /srv/tides/NOTES.md", "Pier four survey"]  # its heading by its words
    assert "     2→# Pier four survey" in page


def test_a_sub_agents_messages_recorded_as_progress_are_folded_where_they_happened():
    """Later versions record a sub-agent's messages in the session that started it, each in a
    ``progress`` record (``agent_progress``), and may write no file of the sub-agent's own: its task,
    its tool calls and its answer are folded under the Task call, as side-chain records are. Progress
    of a running command (its output so far) is left out: its result follows."""
    call = json.loads(_session_line("s-7", "p2", "assistant", ""))
    call["message"]["content"] = [{"type": "tool_use", "id": "t9", "name": "Task",
                                   "input": {"description": "Find the gauges", "prompt": "List the gauge files."}}]
    asked = {"type": "user", "uuid": "q1", "timestamp": "2025-10-01T09:00:02.000Z",
             "message": {"role": "user", "content": [{"type": "text", "text": "List the gauge files."}]}}
    answered = {"type": "assistant", "uuid": "q2", "timestamp": "2025-10-01T09:00:03.000Z",
                "message": {"role": "assistant", "model": "claude-haiku-4-5-20251001",
                            "content": [{"type": "text", "text": "Six gauge files, under gauges/."},
                                        {"type": "tool_use", "id": "t10", "name": "Glob",
                                         "input": {"pattern": "gauges/*.csv"}}]}}
    progress = [json.dumps({"type": "progress", "sessionId": "s-7", "uuid": f"r{n}", "parentToolUseID": "t9",
                            "timestamp": "2025-10-01T09:00:04.000Z",
                            "data": {"type": "agent_progress", "agentId": "b00c", "prompt": "List the gauge files.",
                                     "message": message, "normalizedMessages": [asked, answered][:n + 1]}})
                for n, message in enumerate((asked, answered))]
    running = json.dumps({"type": "progress", "sessionId": "s-7", "uuid": "r9", "parentToolUseID": "t9",
                          "data": {"type": "bash_progress", "output": "gauges/a", "elapsedTimeSeconds": 2}})
    lines = [_session_line("s-7", "p1", "user", "How many gauges are there?"), json.dumps(call), *progress, running,
             _session_line("s-7", "p3", "assistant", "There are six.")]
    [session] = read_bytes(Path("s-7.jsonl"), "\n".join(lines).encode(), "s-7.jsonl").conversations
    assert [(m.speaker, m.kind, m.text) for m in session.messages][2:] == [
        ("Task", "agent", "List the gauge files."),
        ("Claude Haiku 4.5", "agent", "Six gauge files, under gauges/.\n\n**Glob** `gauges/*.csv`"),
        ("Claude Haiku 4.5", "message", "There are six.")]  # a sub-agent's tool call shown as the session's are
    assert session.participants == ["User", "Claude Haiku 4.5"]  # once each: the sub-agent adds no one


def test_claude_codes_word_that_a_background_task_ended_is_a_note():
    """A background command or sub-agent that ends is announced to the model in a user record
    (``<task-notification>``): Claude Code's words, not the user's request."""
    ended = ("<task-notification>\n<task-id>b3c9</task-id>\n<status>completed</status>\n"
             "<summary>Background command \"tail gauges.log\" completed</summary>\n</task-notification>")
    lines = [_session_line("s-3", "u1", "user", ended), _session_line("s-3", "u2", "user", "What did the log say?")]
    [session] = read_bytes(Path("s-3.jsonl"), "\n".join(lines).encode(), "s-3.jsonl").conversations
    assert [(m.speaker, m.kind, m.text) for m in session.messages] == [
        ("User", "note", ended), ("User", "message", "What did the log say?")]
    assert session.title == "What did the log say?"
    in_a_block = json.loads(lines[0])
    in_a_block["message"]["content"] = [{"type": "text", "text": ended}]  # as a text block, the same
    [blocked] = read_bytes(Path("s-3.jsonl"), "\n".join([json.dumps(in_a_block), lines[1]]).encode(),
                           "s-3.jsonl").conversations
    assert [(m.kind, m.text) for m in blocked.messages] == [("note", ended), ("message", "What did the log say?")]


def test_claude_codes_stream_json_reads_as_a_session_in_lines_or_in_an_array():
    """`claude -p --output-format stream-json` writes a session record by record ('session_id', a
    sub-agent's messages marked by the call that started them, a last 'result'); the GitHub Action
    keeps the same records as one JSON array."""
    lines = (FORMATS / "claude_code_stream.jsonl").read_text("utf-8").split("\n")
    [session] = read_bytes(Path("run.jsonl"), "\n".join(lines).encode(), "run.jsonl").conversations
    kinds = [(m.speaker, m.kind) for m in session.messages]
    assert kinds[6:9] == [("Task", "agent"), ("Claude Haiku 4.5", "agent"), ("Claude Haiku 4.5", "agent")]
    assert session.participants == ["User", "Claude Sonnet 4.5"]
    assert (session.metadata["Session"], session.metadata["Folder"]) == ("4c1d-a2", "/home/runner/work/harbour/harbour")
    assert session.messages[-1].text.startswith("result: success\n\n- duration_api_ms: `58410`")
    array = "[" + ",\n".join(line for line in lines if line.strip()) + "]"
    [same] = read_bytes(Path("claude-execution-output.json"), array.encode(), "claude-execution-output.json").conversations
    assert [(m.speaker, m.kind, m.text) for m in same.messages] == [(m.speaker, m.kind, m.text) for m in session.messages]


def test_a_cctrace_export_reads_as_the_session_it_was():
    """cctrace's Markdown ('# Claude Code Session Export'): each message after a rule, its time and a
    heading; the model named in the heading speaks; its reasoning, tool calls and their results are
    their own kinds; what the model wrote itself ('---', '### Notes') stays in its message."""
    [session] = models("cctrace_export.md")
    assert session["title"] == "Why does the lamp log stop at midnight?"
    assert session["participants"] == ["User", "Claude Sonnet 4"]
    assert [(m["speaker"], m.get("kind", "message")) for m in session["messages"]] == [
        ("User", "note"), ("User", "command"), ("User", "message"), ("Claude Sonnet 4", "thinking"),
        ("Claude Sonnet 4", "tool_call"), ("Tool", "tool_result"), ("Claude Sonnet 4", "message"), ("User", "note")]
    answer = session["messages"][6]
    assert answer["text"].endswith("---\n\n### Notes\n\n- keep a week: `rotate 7`\n- or compress the old ones")
    assert answer["time"] == "2025-08-14T06:02:55"
    assert session["metadata"]["Session"] == "5d0c9e21-7a44-4b1e-9c3f-0e2b8d6a1f53"
    export = (FORMATS / "cctrace_export.md").read_text("utf-8").replace("2025-08-14T06:09:40.917Z", "soon")
    export = export.replace("**Tool Uses:** 1\n", "**Tool Uses:** 1\nexported by hand\n")
    [kept] = read_bytes(Path("e.md"), export.encode(), "e.md").conversations
    assert kept.metadata["End Time"] == "soon"  # a field it cannot read is kept as written
    assert (kept.messages[0].speaker, kept.messages[0].kind, kept.messages[0].text) == ("Export", "note", "exported by hand")
    ending = export.rstrip("\n").removesuffix("[Request interrupted by user]") + "noted at\n**[2025-08-14 06:09:41]**\n"
    [last] = read_bytes(Path("e.md"), ending.encode(), "e.md").conversations
    assert last.messages[-1].text == "noted at\n**[2025-08-14 06:09:41]**"  # the last message's own lines
    assert kept.ended == datetime(2025, 8, 14, 6, 9, 40)  # (the last message's time, then)


def test_a_gemini_cli_session_reads_with_its_thoughts_tool_calls_and_results():
    """Gemini CLI's saved session ('sessionId', 'messages' of 'user' and 'gemini'): the OpenAI reader
    read it before, as 'unknown' saying each text, its thoughts and tool calls left out."""
    [session] = models("gemini_cli.json")
    assert session["title"] == "Why is the buoy log empty since Sunday?"
    assert session["participants"] == ["User", "Gemini 2.5 Pro"]
    assert [(m["speaker"], m.get("kind", "message")) for m in session["messages"]] == [
        ("User", "message"), ("Gemini 2.5 Pro", "thinking"), ("Gemini 2.5 Pro", "message"),
        ("Gemini 2.5 Pro", "tool_call"), ("Tool", "tool_result"), ("Gemini 2.5 Pro", "tool_call"),
        ("Tool", "tool_result"), ("Gemini CLI", "note"), ("Gemini 2.5 Pro", "message")]
    texts = [m["text"] for m in session["messages"]]
    assert texts[1] == "**Checking the folder**\n\nAn empty log usually means the writer stopped or the path moved."
    assert texts[4] == "```\nbuoy-2025-11-01.log\nbuoy-2025-11-02.log (0 bytes)\n```"  # what the model was given
    assert texts[6] == "**error**\n\n```\nUnit buoy-writer.service could not be found.\n```"  # else what was shown
    assert session["metadata"]["Session"] == "7e21c0d4-3b9a-4c55-8f1e-2d6a9b0c4e17"
    document = json.loads((FORMATS / "gemini_cli.json").read_text("utf-8"))
    document["summary"] = "Buoy log writer renamed"  # what later versions write of the session
    document["messages"][1]["toolCalls"][0]["result"] = [{"text": "two files"}]  # a part of text, not a response
    [summed] = read_bytes(Path("s.json"), json.dumps(document).encode(), "s.json").conversations
    assert summed.title == "Buoy log writer renamed" and summed.messages[4].text == "```\ntwo files\n```"


def test_a_system_record_with_no_text_says_what_it_records():
    """An API error and its retry, how long a turn took: shown as their fields, not as their kind alone."""
    error = {"type": "system", "subtype": "api_error", "level": "error", "error": {}, "retryInMs": 500,
             "retryAttempt": 1, "maxRetries": 10, "sessionId": "s-2", "uuid": "n1", "timestamp": "2025-10-01T09:00:00Z"}
    took = {"type": "system", "subtype": "turn_duration", "durationMs": 80395, "isMeta": False, "sessionId": "s-2",
            "uuid": "n2", "timestamp": "2025-10-01T09:01:00Z"}
    lines = [_session_line("s-2", "n0", "user", "Compare the gauges."), json.dumps(error), json.dumps(took)]
    [session] = read_bytes(Path("s-2.jsonl"), "\n".join(lines).encode(), "s-2.jsonl").conversations
    assert [(m.speaker, m.kind, m.text) for m in session.messages][1:] == [
        ("System", "note", "API error; retrying in 0.5 s (attempt 1 of 10)\n\n"
                           "- maxRetries: `10`\n- retryAttempt: `1`\n- retryInMs: `500`"),
        ("System", "note", "The turn took 1 min 20 s\n\n- durationMs: `80395`")]


@pytest.mark.parametrize("record, said", [
    ({"subtype": "api_error", "error": {"status": 529, "error": {"type": "error", "error": {
        "type": "overloaded_error", "message": "Overloaded"}}}, "retryInMs": 1182.9, "retryAttempt": 2, "maxRetries": 10},
     "API error: Overloaded (status 529); retrying in 1.2 s (attempt 2 of 10)"),
    ({"subtype": "api_error", "error": {"cause": {"code": "ECONNRESET"}}, "retryInMs": 12000, "retryAttempt": 3},
     "API error: ECONNRESET; retrying in 12 s (attempt 3)"),
    ({"subtype": "api_error", "error": "socket hang up", "retryInMs": True, "retryAttempt": -1}, "API error"),
    ({"subtype": "turn_duration", "durationMs": 7250}, "The turn took 7.2 s"),
    ({"subtype": "turn_duration", "durationMs": 3600000}, "The turn took 1 h"),
    ({"subtype": "turn_duration", "durationMs": 59600}, "The turn took 1 min"),
    ({"subtype": "turn_duration", "durationMs": "soon"}, "turn_duration"),
    ({"subtype": "stop_hook_summary", "stopReason": "Stop hook prevented continuation", "hookCount": 1},
     "Stop hook prevented continuation"),
    ({"subtype": "stop_hook_summary", "stopReason": "tests failed"}, "Stop hook: tests failed"),
    ({"subtype": "something_new", "detail": 1}, "something_new"),
])
def test_a_system_record_is_said_as_claude_code_would_say_it(record, said):
    """The folded note's first line (what the page shows before it is opened): what happened, in words."""
    line = json.dumps({"type": "system", "sessionId": "s-3", "uuid": "n1", "timestamp": "2025-10-01T09:00:00Z",
                       **record})
    lines = [_session_line("s-3", "n0", "user", "Compare the gauges."), line]
    [session] = read_bytes(Path("s-3.jsonl"), "\n".join(lines).encode(), "s-3.jsonl").conversations
    assert session.messages[1].text.split("\n")[0] == said


def test_a_resumed_session_is_its_own_conversation_and_says_what_it_resumes():
    """A resumed session's file starts with a copy of the session it resumes, under that one's id."""
    first = [_session_line("s-1", "c1", "user", "Start the migration."),
             _session_line("s-1", "c2", "assistant", "Migrated two tables of five.")]
    resumed = first + [_session_line("s-2", "c3", "user", "Go on."),
                       _session_line("s-2", "c4", "assistant", "All five migrated.")]
    [old] = read_bytes(Path("s-1.jsonl"), "\n".join(first).encode(), "s-1.jsonl").conversations
    [new] = read_bytes(Path("s-2.jsonl"), "\n".join(resumed).encode(), "s-2.jsonl").conversations
    assert (old.metadata["Session"], new.metadata["Session"], new.metadata["Resumes"]) == ("s-1", "s-2", "s-1")
    assert "Resumes" not in old.metadata
    kept, problems = drop_duplicates([old, new], Path("."))
    assert kept == [old, new] and problems == []
    assert [m.text for m in new.messages][-1] == "All five migrated."


def test_a_claude_code_terminal_session_reads_as_its_blocks():
    """What the terminal shows (copied, or saved by /export): prompts, replies, tool calls with their
    output, thinking, and a command; the terminal's own line wrapping undone in what was said."""
    [session] = models("claude_console.txt")
    kinds = [(m["speaker"], m.get("kind", "message")) for m in session["messages"]]
    assert kinds == [
        ("Preface", "context"), ("User", "command"), ("User", "message"), ("Claude", "message"),
        ("Claude", "tool_call"), ("Tool", "tool_result"), ("Claude", "tool_call"), ("Tool", "tool_result"),
        ("Claude", "thinking"), ("Claude", "message"), ("User", "message"), ("Claude", "tool_call"),
        ("Tool", "tool_result"), ("Claude", "message")]
    texts = [m["text"] for m in session["messages"]]
    assert "Welcome to Claude Code!" in texts[0]
    assert texts[2].endswith("and I would like to know whether the smoothing window or the calibration offset is to blame.")
    assert "\n" not in texts[3]  # wrapped by the terminal, joined again
    assert texts[5] == "```\ndef smooth(readings, window=3):\n    return rolling_mean(readings, window)\n" \
                       "… +41 lines (ctrl+r to see all)\n```"  # the output's own indent kept, the terminal's gone
    assert texts[7].splitlines()[1:4] == ['Bash(grep -n "offset" tidewatch/calibration.py)…',
                                          "Bash(tail -3 data/pier4.csv)…", "Done (2 tool uses · 4.1s)"]
    # Lists and code keep their lines.
    assert "readings;\n- the calibration offset" in texts[9] and "```python\nsmooth(readings, window=18)" in texts[9]
    assert session["title"].startswith("The gauge at pier four reports levels")
    assert session["participants"] == ["User", "Claude"]


@pytest.mark.parametrize("lengths, width", [
    # lines wrapped at 170 crowd just under it; two pasted lines run past it and do not move it
    ([170] * 30 + [166, 168, 169] * 10 + [40, 75, 12, 0] * 50 + [295, 300], 170),
    ([99, 97, 96, 45, 30, 0], 99),            # a short session: its longest lines
    ([72, 58, 61, 12, 0, 33], 72),            # nothing crowds anywhere: the longest line, so nothing is joined
    ([], 0),
])
def test_the_terminal_width_is_where_wrapped_lines_crowd(lengths, width):
    from generator.readers.claude_console import terminal_width
    assert terminal_width(lengths) == width


def test_a_gemini_cli_terminal_session_reads_as_its_blocks():
    """Prompts at the margin or in their box, '✦' replies, a tool's box as its call (with its status)
    and its output, other boxes as notes, the banner as context."""
    [session] = models("gemini_console.txt")
    kinds = [(m["speaker"], m.get("kind", "message")) for m in session["messages"]]
    assert kinds == [
        ("Preface", "context"), ("User", "command"), ("Gemini", "note"), ("User", "message"), ("Gemini", "tool_call"),
        ("Gemini", "message"), ("Gemini", "tool_call"), ("Tool", "tool_result"), ("Gemini", "message"),
        ("User", "message"), ("Gemini", "tool_call"), ("Tool", "tool_result"), ("Gemini", "message")]
    texts = [m["text"] for m in session["messages"]]
    assert texts[3] == "Read the harbour gauge notes and tell me why pier four reads high after storms."
    assert texts[5].endswith("before the breakwater was rebuilt, so its offset may no longer match the water it "
                             "measures. I will compare it with the survey.")
    assert texts[7] == "```\noffset in config: +0.042 m\noffset from survey: +0.011 m\n```"
    assert texts[10] == "```\nx  Edit config/gauges.toml\n```"  # the box's borders gone, its status kept
    assert "\n- the smoothing window" in texts[8]
    assert session["participants"] == ["User", "Gemini"]


def test_an_aider_history_is_a_conversation_per_session_with_a_request():
    result = read_file(FORMATS / "aider_history.md")
    [session] = result.conversations  # the first session asked nothing: left out, with a note
    assert [d.message for d in result.diagnostics] == [
        "1 aider session with nothing asked or answered (aider started and quit); left out"]
    assert [(m.speaker, m.kind) for m in session.messages] == [
        ("aider", "note"), ("User", "command"), ("aider", "note"), ("User", "message"), ("Claude Sonnet 4", "message"),
        ("aider", "note")]
    request, answer = session.messages[3].text, session.messages[4].text
    assert request == "Read the pier four offset from the config instead of the constant.\n\nKeep the old value as the default."
    # The model's own '####' heading and '>' quote (no line-break spaces after them) stay in its answer.
    assert answer.startswith("#### How it works") and "\n> a quoted note of the model's own\n" in answer
    assert session.started.isoformat() == "2025-06-01T09:15:02" and session.metadata["Aider version"] == "v0.86.1"
    assert session.title == "Read the pier four offset from the config instead of the constant."
    # Requests written without aider's line-break spaces read as the model's text, but are never lost.
    unmarked = "# aider chat started at 2025-06-02 10:00:00\n\n#### make the offset a setting\n\nDone.\n"
    [kept] = read_bytes(Path("a.md"), unmarked.encode(), "a.md").conversations
    assert "make the offset a setting" in kept.messages[0].text and "Done." in kept.messages[0].text


def test_a_reasoning_models_thinking_in_an_aider_history_is_its_thinking():
    """aider writes a reasoning model's thinking into the answer between its own tags: kept apart, folded."""
    first, second = read_file(FORMATS / "aider_reasoning.md").conversations
    said = [(m.speaker, m.kind, m.line) for m in first.messages if m.speaker != "aider"]
    assert said == [("User", "message", 8), ("Qwen3 14B", "thinking", 14), ("Qwen3 14B", "message", 21),
                    ("User", "message", 28), ("Qwen3 14B", "thinking", 32)]  # stopped while thinking
    thinking, answer = first.messages[2].text, first.messages[3].text
    assert thinking.startswith("The user asks about a doubled line") and thinking.endswith("left on.")
    assert answer.startswith("The logger gets a handler twice") and "thinking-content" not in answer + thinking
    # A closing tag alone ends thinking that began before the answer.
    assert [(m.kind, m.text[:4]) for m in second.messages[2:4]] == [("thinking", "only"), ("message", "Two ")]
    # Every word of the file is in a message: only aider's tags (and markers) are left out.
    words = lambda text: set(re.findall(r"\w+", text)) - {"thinking", "content", "7bbeb8e1441453ad999a0bbba8a46d4b"}
    source = (FORMATS / "aider_reasoning.md").read_text("utf-8")
    read = "\n".join(m.text for c in (first, second) for m in c.messages) + first.title + "2025 09 14 21 03 11 20 45"
    assert words(source) - {"aider", "chat", "started", "at"} <= words(read)


def test_in_an_aider_history_the_model_aider_last_named_answers_and_prompt_commands_are_requests():
    _, session = read_file(FORMATS / "aider_reasoning.md").conversations
    assert [(m.speaker, m.kind) for m in session.messages if m.speaker != "aider"] == [
        ("User", "message"), ("Qwen3 14B", "thinking"), ("Qwen3 14B", "message"),  # '/ask what is left to do?'
        ("User", "command"), ("User", "message"), ("Gemma3 12B", "message")]  # '/model …', then '/code' and a request
    assert session.messages[1].text == "/ask what is left to do?"  # as written; the title leaves the command out
    assert session.title == "what is left to do?"
    assert session.speakers == ["User", "Qwen3 14B", "Gemma3 12B"]


def test_in_architect_mode_the_plan_aider_hands_the_editor_is_context_and_the_editor_answers_it():
    [session] = read_file(FORMATS / "aider_architect.md").conversations
    said = [(m.speaker, m.kind) for m in session.messages if m.kind != "note"]
    assert said == [("User", "message"), ("Claude Sonnet 4", "message"),  # the architect
                    ("aider", "context"), ("DeepSeek Chat", "message"),  # its plan handed to the editor, who edits
                    ("User", "message"), ("Claude Sonnet 4", "message"),
                    ("User", "message")]  # the edit declined: the same words after it are the user's own
    plan, handed = session.messages[2].text, session.messages[4].text
    assert handed.split() == plan.split()  # kept as written, once as the answer and once as handed over
    assert session.speakers == ["User", "Claude Sonnet 4", "DeepSeek Chat"]


def test_aiders_history_file_is_found_though_it_is_a_dot_file(tmp_path):
    from generator.sources import discover
    (tmp_path / "proj").mkdir()
    for name in (".aider.chat.history.md", ".aider.input.history", ".notes.md", "talk.md"):
        (tmp_path / "proj" / name).write_text("x", "utf-8")
    found = discover(tmp_path)
    assert sorted(f.relative for f in found.files) == ["proj/.aider.chat.history.md", "proj/talk.md"]


def test_a_tagged_chat_reads_block_by_block():
    [chat] = models("tagged.md")
    assert [(m["speaker"], m.get("kind", "message")) for m in chat["messages"]] == [
        ("Preface", "context"), ("System", "note"), ("User", "message"), ("Gemini 2.5 Pro", "message"),
        ("User", "message"), ("Gemini 2.5 Pro", "message")]
    texts = [m["text"] for m in chat["messages"]]
    assert texts[3].startswith("Two usual causes:\n\n1. **Calibration drift**") and texts[3].endswith("```")
    assert texts[4] == ""  # an empty turn stays one
    assert texts[5] == "Was there something else you wanted to ask?"  # a block left open runs to the end
    assert chat["title"] == "Why would a gauge read high only after storms?"
    named = read_bytes(Path("t.md"), b'<system model="gemini-2.5-pro">\nBe brief.\n</system>\n<user>\nhi\n</user>\n',
                       "t.md").conversations[0]
    assert [(m.speaker, m.kind) for m in named.messages] == [("Gemini 2.5 Pro", "note"), ("User", "message")]


@pytest.mark.parametrize("text", [
    "> a quoted line\n\n● a bullet point\n● another\n",  # '●' without a tool's output: a bullet
    "Notes\n\n⏺ a record button glyph, and no prompt\n",
    "✦ a sparkle heading\n\nand no prompt anywhere\n",
    "A: the template says <user> here\nB: and </user> there, inline\nA: so it does\n",  # tags in a line
    # AI-to-AI logs hold '✦' and '> ' lines of the models' own (seen in a real archive), and box art
    "> a line quoted from the other model\n\n✦ a sparkle bullet\n✦ another\n╭──╮\n│ ~ │\n╰──╯\n",
])
def test_text_that_only_looks_like_a_terminal_session_is_not_read_as_one(text):
    result = read_bytes(Path("notes.md"), text.encode(), "notes.md")
    assert result.format not in ("claude-console", "gemini-console", "tagged")


def test_a_bot_frameworks_export_reads_by_its_bold_name_headings():
    """As a real bot framework's export heads each message ('## 💬 **Name**', quoted whole), with an
    exchange's heading and time between messages."""
    [chat] = models("bot_chat.md")
    assert [(m["speaker"], m.get("kind", "message")) for m in chat["messages"]] == [
        ("Preface", "context"), ("System Prompt", "note"), ("Corvid", "message"), ("Wren", "message"),
        ("Corvid", "message")]
    texts = [m["text"] for m in chat["messages"]]
    assert texts[1] == '"Good evening, Corvid. I\'m Wren. Tell me what the lighthouse keeps when nobody climbs it."'
    assert texts[2].startswith("<sub>*folds the map") and "\n### What I keep\n\n1. The count." in texts[2]
    assert texts[2].endswith("2. The salt on the glass.")  # the exchange's heading, time and rule left out
    assert "## Participants" in texts[0] and "Exchange" not in "".join(texts[1:])
    assert [m.get("time", "")[-8:] for m in chat["messages"][1:]] == ["21:14:05", "", "21:14:31", "21:15:02"]
    assert chat["title"] == "Conversation: Wren & Corvid" and chat["started"].startswith("2025-11-02T21:14:05")


def test_a_run_report_with_bold_names_and_turn_headings_reads_as_a_chat():
    """An AI-to-AI tool's report: '# A ↔ B', sections and tables, then turns of '**name**: text'
    between rules and '### Turn N' headings. Read as native (an 'A ↔ B' title, rules, '###' headings),
    its text before the first rule was dropped as ignored header lines, with a warning for each."""
    result = read_file(FORMATS / "report_chat.md", "report_chat.md")
    assert result.diagnostics == []
    [chat] = models("report_chat.md")
    assert [m["speaker"] for m in chat["messages"]] == ["Preface", "tern-small", "heron-large", "tern-small", "heron-large"]
    texts = [m["text"] for m in chat["messages"]]
    assert texts[0].startswith("## Summary") and texts[0].endswith("## Transcript")
    assert texts[2] == "Yes. Start at the sandbar; it moves least."  # its turn's rule and heading left out
    assert texts[3].endswith("2. the one that floods")
    assert chat["started"] == "2025-09-14T08:02:11+00:00" and chat["metadata"]["Experiment"] == "experiment_0a1b2c3d"


def test_a_heading_that_ends_one_message_only_is_the_models():
    text = "A: Here is the plan.\n\n## Next steps\n\nB: Good.\n\nA: Then we go.\n\nB: We go.\n"
    [chat] = read_bytes(Path("t.txt"), text.encode(), "t.txt").conversations
    assert chat.messages[0].text == "Here is the plan.\n\n## Next steps"


DIARY = ("# 2026-01-12\n\n*3 sessions • 40m total*\n\n---\n\n### 04:11 PM — \n*Tags: api*\n\n---\n"
         "### 06:07 PM — Mended the tide table\n\nNotes on it.\n\n---\n### 09:35 PM — Mended the tide table\n\n"
         "More notes.\n\n---\n### 11:02 PM — Read the harbour logs\n\n---\n### 11:40 PM — Drew the pier again\n")


def test_a_diary_of_timed_entries_is_no_transcript():
    """A log of sessions ('### 04:11 PM — what was done'), as a real archive keeps beside its
    transcripts: read as native, each heading was a speaker (68 speaker pages from 21 journals)."""
    result = read_bytes(Path("2026-01-12.md"), DIARY.encode(), "2026-01-12.md")
    assert result.conversations == [] and "diary" in result.diagnostics[0].message
    assert result.diagnostics[0].level == "note"
    chat = "# Ada ↔ Echo\n\n" + "".join(f"---\n\n### 10:{n:02d} AM — {'Ada' if n % 2 else 'Echo'}\n\nline {n}\n\n"
                                        for n in range(6))
    assert not native.is_diary(chat)  # the same few names again and again: people
    one_line = read_bytes(Path("d.md"), b"# 2025-12-06\n\n**08:23 AM:** ran the backup\n", "d.md")
    assert one_line.conversations == []  # a time in bold is no speaker


def test_bold_names_with_the_colon_after_are_speakers():
    text = "**User**: What is a tide?\n\n**Assistant**: The sea rising.\n\n**User**: Why?\n\n**Assistant**: The moon.\n"
    [chat] = read_bytes(Path("t.md"), text.encode(), "t.md").conversations
    assert [(m.speaker, m.text) for m in chat.messages] == [("User", "What is a tide?"), ("Assistant", "The sea rising."),
                                                            ("User", "Why?"), ("Assistant", "The moon.")]


@pytest.mark.parametrize("text", [
    "# Notes\n\n## **Usage**\n\nRun it.\n\n## **Usage**\n\nAgain.\n",  # one bold name: a document's
    "# Index\n\n### Ada & Echo: on tides\n\nA summary.\n\n### Kim & Lee: on salt\n\nAnother.\n",  # subtitles
])
def test_a_document_with_headings_is_not_read_as_a_chat(text):
    result = read_bytes(Path("notes.md"), text.encode(), "notes.md")
    assert result.format == "" and not result.conversations


def test_claude_ai_branches_follow_the_current_leaf_and_keep_the_others():
    [chat] = models("claude_ai_branches.json")
    assert [(m["speaker"], m.get("kind", "message"), m["text"]) for m in chat["messages"]] == [
        ("Human", "message", "Name a tide."), ("Claude", "message", "Neap tide."),
        ("Claude", "version", "**Claude:**\n\nSpring tide."), ("Human", "message", "Why neap?")]


def test_a_tree_of_any_shape_is_walked_once_without_recursion():
    from generator.readers.tree import with_versions
    deep = {None: [0], **{n: [n + 1] for n in range(20_000)}}  # a chain far deeper than Python's stack
    assert with_versions(deep, list(range(20_001))) == [(False, [n]) for n in range(20_001)]
    bushy = {None: ["r"], "r": ["a", "b", "c"], "a": ["a1", "a2"], "b": ["b1"], "a2": ["r"]}  # a loop back to r
    blocks = with_versions(bushy, ["r", "c"])
    assert blocks == [(False, ["r"]), (False, ["c"]), (True, ["a", "a2"]), (True, ["a1"]), (True, ["b", "b1"])]
