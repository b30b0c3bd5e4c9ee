"""Every reader, fuzzed with Hypothesis: whatever the input, a reader returns conversations or raises
SourceError (with the file and a line or JSON path), never anything else and never a hang.

JSON readers get their own fixture with parts replaced by values of any type (strings with lone
surrogates and escapes, huge numbers, nested lists, the keys the readers look for); text readers
get lines made of their own syntax and arbitrary text. FUZZ_EXAMPLES sets the examples per reader
(CI runs the default; crashes found are kept in tests/fixtures/hostile).
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.diagnostics import SourceError
from generator.readers import read_bytes
from generator.readers.clean import UNSAFE
from tests.conftest import FIXTURES

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 5_500))  # 24 readers: about half of CI's test time
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FORMATS = FIXTURES / "formats"
JSON_FIXTURES = {"chatgpt": "chatgpt.json", "claude.ai": "claude_ai.json", "openai": "openai.json",
                 "runner": "runner.json", "message list": "messages.json", "gemini-cli": "gemini_cli.json",
                 "openai, a debate runner's session": "../archives/debates/20250301_101500_Design_a_tide_gauge_network/session.json",
                 "openai, a model with itself": "../archives/pairings/3f2a9c10-7d41-4e8b-9a55-0c1d2e3f4a5b.json",
                 "nested messages, keyed by chat": "notes_app_chats.json", "nested messages, Open WebUI": "open_webui.json",
                 "discord": "discord.json", "telegram": "telegram.json", "vscode-chat": "vscode_chat.json",
                 "cline": "api_conversation_history.json"}
JSONL_FIXTURES = {"claude-code": "claude_code.jsonl", "claude-code stream-json": "claude_code_stream.jsonl",
                  "claude-code progress and system records": "claude_code_agents.jsonl",
                  "sharegpt": "sharegpt.jsonl", "sillytavern": "sillytavern.jsonl", "codex": "codex.jsonl"}
KEYS = ["mes", "is_user", "is_system", "send_date", "swipes", "swipe_id", "extra", "reasoning", "user_name",
        "character_name", "create_date", "mapping", "message", "author", "role", "content", "parts", "children", "parent", "current_node",
        "sender", "chat_messages", "text", "type", "tool_calls", "function", "arguments", "model", "model_a",
        "speaker", "full_conversation", "conversations", "from", "value", "uuid", "parentUuid", "isSidechain",
        "create_time", "timestamp", "name", "input", "thinking", "metadata", "model_slug", "seed_prompt",
        "todos", "status", "activeForm", "prompt", "plan", "file_path", "pattern", "subagent_type", "agentId",
        "content_type", "user_profile", "user_instructions", "model_set_context", "result", "url", "title", "language",
        "attachments", "files", "file_name", "extracted_content", "server_name", "is_error", "error_code", "source",
        "data", "media_type", "stdout", "encrypted_content", "reasoning_content", "reasoning", "refusal",
        "function_call", "audio", "transcript", "filename", "output_str", "screenshot", "snippet", "session_id",
        "parent_tool_use_id", "subtype", "cwd", "sessionId", "toolCalls", "thoughts", "args", "functionResponse",
        "response", "output", "resultDisplay", "displayName", "subject", "description", "startTime", "agentId",
        "parentToolUseID", "retryInMs", "durationMs", "summary", "leafUuid", "topic", "config", "settings",
        "participants", "started_at", "ended_at", "created_at", "model_id", "participant_role", "seat", "llm1_model",
        "turns", "chat", "createdAt", "sender", "body", "history", "models", "response", "responses",
        "conversation", "isThought", "thought", "runSettings", "chunks", "guild", "channel", "author", "nickname",
        "embeds", "attachments", "reactions", "reference", "messageId", "fields", "footer", "fileName", "emoji", "count",
        "actor", "action", "message_id", "reply_to_message_id", "forwarded_from", "photo", "file", "file_name",
        "media_type", "sticker_emoji", "duration_seconds", "poll", "question", "answers", "href", "chats", "list",
        "date", "payload", "call_id", "output", "action", "query", "cwd", "cli_version", "instructions", "git",
        "branch", "encrypted_content", "requests", "responderUsername", "requesterUsername", "kind", "value",
        "inlineReference", "fsPath", "path", "uri", "edits", "pastTenseMessage", "invocationMessage", "toolId",
        "customTitle", "creationDate", "modelId", "isCanceled", "errorDetails", "supportThemeIcons", "tool_use_id",
        "is_error", "id"]

_text = st.text(max_size=8) | st.sampled_from(
    ["\ud800", "\x00", "\x1b[31m", "\u2028", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "user",
     "assistant", "A", "B", "text", "tool_use", "tool_result", "a", "b", "July 32, 2023 5:52pm",
     "2023-13-45 @99h 99m 99s", "2023-7-23 @17h 52m 34s", "Warmup", "TodoWrite", "Task", "Read", "Grep",
     "completed", "in_progress", "`", "user_editable_context", "model_editable_context", "tether_quote",
     "tether_browsing_display", "image_asset_pointer", "code", "thoughts", "https://a.example/", "server_tool_use",
     "web_search_tool_result", "mcp_tool_result", "redacted_thinking", "document", "base64", "container_upload",
     "refusal", "input_audio", "file", "knowledge", "sonic_webpage", "citable_code_output", "computer_output",
     "system_error", "<think>a</think>b", "<think>"])
_scalars = st.none() | st.booleans() | st.integers() | st.sampled_from([10**30, -1.5, 1e308]) | _text
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=2)
                       | st.dictionaries(st.sampled_from(KEYS), inner, max_size=2), max_leaves=4)


def _places(value, found=None):
    """Every (container, key) in a JSON value, the value itself first."""
    found = [] if found is None else found
    if isinstance(value, dict):
        for key in value:
            found.append((value, key))
            _places(value[key], found)
    elif isinstance(value, list):
        for index in range(len(value)):
            found.append((value, index))
            _places(value[index], found)
    return found


_MUTATIONS = st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["replace", "delete", "add"]), _values),
                      min_size=1, max_size=4)


def _mutated(document, mutations):
    """``document`` with each mutation applied at the place its number picks (of those there are then)."""
    document = copy.deepcopy(document)
    for number, action, value in mutations:
        places = _places(document)
        if not places:
            break
        container, key = places[number % len(places)]
        if action == "delete":
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[KEYS[number % len(KEYS)]] = value
        else:
            container[key] = value
    return document


def _read_only_source_errors(name: str, text: str) -> None:
    """Read as a build does (decoding included); any failure but the reader's own is reported as a bug."""
    try:
        result = read_bytes(Path(name), text.encode("utf-8", "surrogatepass"), name)
    except SourceError as err:
        assert err.diagnostic.path == name and "Antiphon bug" not in err.diagnostic.message, err.diagnostic
        return
    for conversation in result.conversations:
        for message in conversation.messages:
            assert isinstance(message.text, str) and isinstance(message.speaker, str)
            assert not UNSAFE.search(message.text + message.speaker + conversation.title), "unsafe characters kept"


@pytest.mark.parametrize("reader, fixture", sorted(JSON_FIXTURES.items()))
def test_json_readers_raise_only_source_errors(reader, fixture):
    document = json.loads((FORMATS / fixture).read_text("utf-8"))

    @FUZZ
    @given(_MUTATIONS, st.booleans())
    def check(mutations, ascii_only):
        _read_only_source_errors(fixture, json.dumps(_mutated(document, mutations), ensure_ascii=ascii_only))
    check()


@pytest.mark.parametrize("reader, fixture", sorted(JSONL_FIXTURES.items()))
def test_json_lines_readers_raise_only_source_errors(reader, fixture):
    records = [json.loads(line) for line in (FORMATS / fixture).read_text("utf-8").splitlines() if line.strip()]
    lines = [json.dumps(record) for record in records]

    @FUZZ
    @given(st.integers(0, len(records) - 1), _MUTATIONS)
    def check(which, mutations):
        changed = lines[:which] + [json.dumps(_mutated(records[which], mutations))] + lines[which + 1:]
        _read_only_source_errors(fixture, "\n".join(changed) + "\n")
    check()


_JUNK = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF, blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                max_size=12)


@pytest.mark.parametrize("reader, fixture", sorted(JSONL_FIXTURES.items()))
def test_json_lines_readers_read_past_damaged_lines(reader, fixture):
    """Lines cut short or edited into garbage: only SourceErrors, and where the file is one
    conversation, every damaged line is on its page as written."""
    lines = [line for line in (FORMATS / fixture).read_text("utf-8").splitlines() if line.strip()]

    @settings(FUZZ, max_examples=max(EXAMPLES // 4, 1))
    @given(st.lists(st.tuples(st.integers(0, len(lines) - 1), st.integers(0, 600), _JUNK), min_size=1, max_size=4))
    def check(cuts):
        changed = list(lines)
        for which, keep, junk in cuts:
            changed[which] = changed[which][:keep] + junk
        text = "\n".join(changed) + "\n"
        damaged = [line for line in changed if line.strip() and not _is_json(line)]
        one_conversation = reader.startswith("claude-code") or reader == "sillytavern"
        try:
            result = read_bytes(Path(fixture), text.encode("utf-8"), fixture)
        except SourceError as err:
            assert "Antiphon bug" not in err.diagnostic.message, err.diagnostic
            # A session cut off in its last line (the common case) is never refused for it.
            assert not (one_conversation and {which for which, _, _ in cuts} == {len(lines) - 1}), err.diagnostic
            return
        if damaged and one_conversation:
            [conversation] = result.conversations
            notes = "\n".join(m.text for m in conversation.messages if m.kind == "note")
            assert all(line.strip() in notes for line in damaged)
    check()


def _is_json(line: str) -> bool:
    try:
        json.JSONDecoder(strict=False).decode(line)
    except ValueError:
        return False
    return True


_TEXT_LINES = {
    "native.md": ["# A ↔ B", "# Title", "---", "", "### A", "### B", "### A · 2025-01-01T00:00:00", "### A (tool call)",
                  "**Started:** 2025-01-01", "**Messages:** 3", "**Messages:** ²", "**Tags:** a, b", "**Draft:** maybe",
                  "**Labels:** {\"A\": 1}", "\\---", "*a*", "```", "> q", "## Summary", "| a | b |", "**A**: x", "### 04:11 PM — x", "### 04:11 PM — "],
    "backrooms.txt": ["### Backrooms Run ###", "Models: k2, k2", "Template: t", "Started: 2025-01-01T00:00:00+00:00",
                      "### Round 1/30", "### Claude 1 ###", "### Claude 2 [2024-01-01 10:00] ###", "### TASK ###",
                      "Claude 1 has ended the conversation with ^C^C.", "###  ###", "### a [ ###", ""],
    "plain.txt": ["A: hi", "B: yo", "[12:03] <nick> text", "**Bob:** hey", "Claude 1:", "12:03:44 A: x", "http://x",
                  "Symbol: x", "", "# Title", "#### You:", "## User", "### 🤖 Assistant", "- Pier: x", "---", "title: x",
                  "date: 2024-99-01", "created: 1e308", "## 💬 **Ada**", "## 💬 **Echo**", "## **System Prompt**",
                  "### Exchange 1", "*07:47:11 PM*", "*99:99 PM*", "_12:00_", "> ", ">", "> quoted", "**Date:** 2025-10-20",
                  "**Time:** 19:47:11", "**Time:** 25:99", "### a: b", "**tern**: hi", "**a:b**: x", "**Date**: 2025-08-05 UTC",
                  "### Turn 1", "| a | b |", "## Prompt:", "## Response:", "2026/6/7 11:58:28", "2026/2/30 23:59", "8/13/2026, 4:51:45 PM", "2/30/2026, 0:00 AM",
                  "**Link:** [https://chatgpt.com/c/x](https://chatgpt.com/c/x)", "**Link:** https://claude.ai/chat/x",
                  "**Created:** 6/7/2026 11:58:31", "<@nick> hi", "<+nick> yo", "<div>", "</div>", "<div>x</div>",
                  "<!-- x -->", "**Start here:** [a](b)", "### What Was Done:", "### Next Steps:",
                  "Powered by [ChatGPT Exporter](https://www.chatgptexporter.com)", "Powered by [a](b c)", "**Link:** [x](y)",
                  "You said", "You said:", "Gemini said", "ChatGPT said:  ", "He said", "A B C D said",
                  "## You said:", "## ChatGPT said:", "###### Gemini said", "When I said:", "user:", "User:",
                  "Assistant:", "In a lens:", "This is:", "Layer 1: x", "### 1. The Lamp", "### Purpose",
                  "**Key Actions & Decisions:**", "**Outcome of the Session:** x", "**Tooling/Issues:**", "**Goal:** y",
                  "Pros & Cons: z", "**A of B:**",
                  "Conversation with Gemini", "Conversation with ", "Step 1: x", "Phase 2:", "Claude 2: y",
                  "**Human** - 2024-07-19 02:14:10 UTC", "**Assistant** - 2024-07-19 02:14:15 UTC",
                  "**Human** - 2024-99-19 02:14:10 UTC", "**A** — 2024-07-19T02:14+05:30", "** ** - 2024-07-19 02:14",
                  "Created: 2024-07-19 02:14:01 UTC", "Created: 2024-13-01 25:00:00 UTC", "UUID: x", "Account: y",
                  "```", "```python", "~~~", "````", "   ```", "``` x ```",
                  "**USER:**", "**ASSISTANT:**", "**AI:**", "# Voice Call: z-ai/glm-4.7", "# x anthropic/ openai/gpt-5 qwen/q-",
                  "*2026-01-05 09:14:02*", "_2026-13-45 99:99_", "*2026-01-05T09:14*",
                  "🧑‍💻 **user:**", "🤖 **model:**", "🎭🎭🎭🎭🎭🎭🎭🎭🎭 **x:**", "#### Chat Pair 1<a name=\"pair1\"></a>", "model: undefined"],
    "discord.csv": ["AuthorID,Author,Date,Content,Attachments,Reactions", '"1","a#0001","7/20/2025 6:36 PM","hi","",""',
                    '"2","b","20/07/2025 18:36","x","https://cdn.example/a.png,b.txt","👍 (2),x"', '"', '""', '"a,b"',
                    ",,,,,", '"x","y"', '"multi', 'line"', '"3","c","2025-13-45","<think>t</think>a","",""', "\ufeff", ""],
    "framed.txt": ["=" * 80, "-" * 30, "─" * 40, "Turn 1 | Claude A", "Turn 2 | Claude B | 2025-10-15T16:49:31",
                   "Turn 3 | | x", "Turn x", "HUMAN:", "CLAUDE:", "CONVERSATION: x", "CONVERSATION:", "Date: October 09, 2025",
                   "Date: 2025-13-45", "Model: m", "PART 3: POETRY", "SESSION STATS", "", "text", "| a | b |"],
    "2026-02-14_09-30-12_s_conversation-log.txt": [
        "=" * 80, "-" * 80, "", "👤 USER (09:30:12):", "👤 USER (99:99:99):", "👤 USER:", "👤 USER (answer):",
        "👤 USER (plan approved)", "USER:", "USER (x)", "🤖 CLAUDE [2026-02-14 09:31:05]:", "🤖 CLAUDE [2026-13-45 25:61:61]:",
        "CLAUDE [2026-02-14 09:31:05]:", "[2026-02-14 09:30:12] Session: abc", "[2026-99-14 09:30:12] Session: x",
        "● ", "● x", "● Read(file_path=a)", "● Bash()", "● Grep(...)", "  ⎿  ", "  ⎿  x", "  ⎿  Interrupted",
        "  ⎿  Tool use rejected with user message: no", "  ⎿", "[No output found]", "```"],
    "cline_task_feb-9-2026_8-14-05-pm.md": [
        "**User:**", "**Assistant:**", "---", "", "<task>", "</task>", "<environment_details>", "</environment_details>",
        "# Current Time", "2/9/2026, 8:14:05 PM (Europe/Lisbon, UTC+0:00)", "13/45/2026, 25:99:99 PM (x, UTC+99:99)",
        "<thinking>", "</thinking>", "<read_file>", "</read_file>", "<path>a</path>", "[read_file for 'a'] Result:",
        "[x] Result:", "[Tool]", "[Tool (Error)]", "[Tool Use: read_file]", "Path: a", "<attempt_completion>",
        "<result>", "</result>", "</attempt_completion>", "<ask_followup_question>", "<question>q</question>",
        "</ask_followup_question>", "<answer>", "</answer>", "<feedback>", "</feedback>", "[Image]", "```"],
    "console.txt": ["> ", ">", "> /model x", "⏺ ", "⏺", "● ", "⏺ Bash(ls)…", "⏺ Update Todos", "  ⎿  ", "  ⎿ \u00a0x",
                    "⎿", "     … +3 lines", "✻ Thinking…", "✻ Thinking", "  - item", "  ```", "  ```python", "  # h",
                    "╭──╮", "", "  ", " " * 120, "x" * 200],
    "gemini.txt": ["> ", ">", "✦ ", "✦", "> /about", "╭──╮", " ╭──╮", "╰──╯", " ╰──╯", "│  > x  │", "│ ✔  Shell ls │",
                   " │ x  Edit a │", " │    out │", "│", " │", "│ │ │", "", "  ", "  - item", "x" * 200],
    "tagged.md": ["<user>", "</user>", "<assistant>", "</assistant>", '<assistant model="gemini-2.5-pro">',
                  '<assistant model="">', "<SYSTEM >", "</model>", "<human>", "", "text", "```", "<user", "</user"],
    "aider.md": ["# aider chat started at 2025-06-01 09:15:02", "# aider chat started at 2025-13-45 99:99:99",
                 "> Main model: x/y with diff edit format  ", "> Aider v0.86.1  ", ">  ", "> note  ", "#### ask  ",
                 "#### /add a.py  ", "####   ", "#### heading", "> quote", "", "```", "text",
                 "<thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>", "</thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>",
                 "x </thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>y", "> Edit the files? (Y)es/(N)o [Yes]: y  ",
                 "> Edit the files? (Y)es/(N)o [Yes]: n  ", "> Editor model: x/y with editor-diff edit format  ",
                 "> Model: a/b with architect edit format  ", "#### /ask  ", "#### /code x  "],
    "talk.vtt": ["WEBVTT", "", "00:00.000 --> 00:01.000", "<v A>hi", "<v B", "<v.loud  C>x</v>", "<00:01.000>",
                 "99:59:59.999 --> 100:00:00.000"],
    "talk.srt": ["1", "00:00:01,000 --> 00:00:02,000", "A: hi", "", "2", "99999999:00:00,000 --> 99999999:00:01,000",
                 "B: yo", "<i>x</i>"],
}


@pytest.mark.parametrize("name", sorted(_TEXT_LINES))
def test_text_readers_raise_only_source_errors(name):
    line = st.sampled_from(_TEXT_LINES[name]) | st.text(st.characters(codec="utf-8"), max_size=30)

    @FUZZ
    @given(st.lists(line, max_size=25))
    def check(lines):
        _read_only_source_errors(name, "\n".join(lines))
    check()


_CLAUDE_LOG_LINES = ["# Claude Conversation Log", "Session ID: x", "Date: 2025-11-20 00:18:21", "Date: 2025-99-99",
                     "---", "", "  ", "## 👤 User", "## 🤖 Claude", "### 🔧 Tool Use", "### 📤 Tool Result",
                     "### ℹ️ System", "🔧 Using tool: Bash", "🔧 Using tool: ", "Input: {", "Input: [",
                     'Input: {"command": "ls"}', 'Input: {"file_path": 3}', "}", '  "command": "x\\ny"',
                     "Caveat: The messages below were generated by the user while running local commands",
                     "<command-name>/x</command-name>", "<bash-input>ls</bash-input>", "## Summary",
                     "Session ID: agent-1a2b", "🔧 Using tool: TodoWrite", 'Input: {"todos": [{"content": "x", "status": 1}]}',
                     'Input: {"todos": [{"content": "`x`", "status": "completed", "activeForm": "y"}]}',
                     "🔧 Using tool: Task", 'Input: {"prompt": "p", "description": 2}', "🔧 Using tool: Read",
                     'Input: {"file_path": "``a` ", "limit": 5}', 'Input: {"pattern": "a\nb"}']


def test_the_claude_log_reader_raises_only_source_errors():
    """Its own title first (else another reader reads the file), indented or not, then anything."""
    line = st.sampled_from(_CLAUDE_LOG_LINES) | st.text(st.characters(codec="utf-8"), max_size=30)

    @FUZZ
    @given(st.sampled_from(["", "  ", "\t", "\n\n"]), st.lists(line, max_size=30))
    def check(indent, lines):
        _read_only_source_errors("log.md", "\n".join(indent + line for line in ["# Claude Conversation Log"] + lines))
    check()


_LOGGER_MARKDOWN_LINES = ["", "---", "## 👤 User — 21:14:03", "## 👤 User — 99:99:99", "## 🤖 Claude — 21:14:40",
                          "## 💬 User — 21:16:10", "## ✅ User — 00:00:00", "## ❌ User — 23:59:59", "## ⚡ User — 12:00:00",
                          "> Session: `x`", "> Session: ``", "> **Answer**", "> **Plan Approved**", "> **Interrupted**",
                          "> **Tool Rejected**: no", "> **Tool Rejected**:", "> **", "### 🛠️ Tool: `Edit`",
                          "### 🛠 Tool: ``", "> file_path=a", "```", "````", "``` x", "[No output found]", "## Summary"]


def test_the_conversation_logger_markdown_reader_raises_only_source_errors():
    """Its title first (else another reader reads the file), then anything."""
    line = st.sampled_from(_LOGGER_MARKDOWN_LINES) | st.text(st.characters(codec="utf-8"), max_size=30)

    @FUZZ
    @given(st.sampled_from(["# Conversation Log — 2026-02-20", "# Conversation Log", "# Conversation Log — 2026-02-30"]),
           st.lists(line, max_size=30))
    def check(title, lines):
        _read_only_source_errors("2026-02-20_21-14-03_s_conversation-log.md", "\n".join([title, ""] + lines))
    check()


_SPECSTORY_LINES = ["", "---", "  ", "_**User**_", "_**User (2025-11-20 08:15Z)**_", "_**User (2025-99-20 25:15Z)**_",
                    "_**Assistant**_", "_**Assistant (default)**_", "_**Agent (model gpt-5, mode Agent)**_",
                    "_**Agent (gpt-5 2025-11-20 08:21:40Z)**_", "_**Agent - sidechain (x 2025-11-20 08:21:40-0700)**_",
                    "_**Agent (2025-02-30 08:21:40+9999)**_", "# T (2025-11-20 08:15Z)", "# 2025-11-20 08:15:00Z", "# ",
                    "<!-- cursor Session abc (2025-11-20 08:15Z) -->", "<!-- Session  -->",
                    "<think><details><summary>Thought Process</summary>", "</details></think>",
                    "<think><details><summary>Thought Process</summary>x</details></think>y",
                    '<tool-use data-tool-type="write" data-tool-name="x">', '<tool-use data-tool-type="', "</tool-use>",
                    "<details>", "</details>", "<summary>Tool use: **x** &amp; &#39;</summary>", "<summary>", "</summary>",
                    "Tool use: **read_file**", "```", "```diff", "~~~", "   ```", "&lt;&gt;&quot;", "<no message>"]


def test_the_specstory_reader_raises_only_source_errors():
    """Its mark first (else another reader reads the file), then anything."""
    line = st.sampled_from(_SPECSTORY_LINES) | st.text(st.characters(codec="utf-8"), max_size=30)

    @FUZZ
    @given(st.sampled_from(["<!-- Generated by SpecStory -->", "<!-- Generated by SpecStory, Markdown v2.1.0 -->"]),
           st.lists(line, max_size=30))
    def check(mark, lines):
        _read_only_source_errors("2025-11-20_08-15Z-a.md", "\n".join([mark, "", "_**User**_"] + lines))
    check()


_CCTRACE_LINES = ["**Session ID:** `x`", "**Project:** `/p`", "**Start Time:** 2025-07-02T20:06:59.614Z",
                  "**Start Time:** 2025-99-99", "**End Time:** x", "**Models Used:** m", "---", "", "  ",
                  "**[2025-07-02 20:06:59]**", "**[2025-13-45 99:99:99]**", "### 👤 User", "### 🤖 Assistant",
                  "### 🤖 Assistant (claude-opus-4-20250514)", "### 🤖 Assistant ()", "<details>",
                  "<summary>💭 Internal Reasoning (click to expand)</summary>", "</details>", "```", "```json",
                  "🔧 **Tool Use: Read** (ID: toolu_1)", "🔧 **Tool Use: ** (ID: )", '{"file_path": "/a"}', "{", "[1]",
                  "📊 **Tool Result:**", "[Request interrupted by user]", "<command-name>/x</command-name>", "### 🚀 Usage:"]


_DISCORD_LINES = ["=" * 62, "Guild: x", "Channel: a / b", "Topic: t", "", "  ", "[7/20/2025 6:36 PM] ada",
                  "[20/7/2025 18:36] Bot#0001", "[2025-07-20 18:36] x", "[13/13/2025 25:61 PM] y", "[99/99/99 9:99] z",
                  "[x] not a time", "{Embed}", "{Reactions}", "👍 (2)", "<think>", "</think>", "*[Continued...]*",
                  "Exported 3 message(s)", "#0000", "[7/20/2025 6:36 PM] #1234",
                  "[20-Jul-25 06:36 PM] ada", "[31-Feb-25 13:99 PM] b", "[Thursday, January 29, 2026 1:16 PM] c",
                  "[Thursday, 29 Smarch 2026 25:16] d", "[January 32, 2026 0:00 AM] e"]


def test_the_discord_text_reader_raises_only_source_errors():
    """Its header first (else another reader reads the file), then anything."""
    line = st.sampled_from(_DISCORD_LINES) | st.text(st.characters(codec="utf-8"), max_size=30)

    @FUZZ
    @given(st.lists(line, max_size=30))
    def check(lines):
        _read_only_source_errors("channel.txt", "\n".join(["=" * 62, "Guild: g", "Channel: c", "=" * 62] + lines))
    check()


# Pieces of DiscordChatExporter's page, and of broken ones: unclosed and stray tags, comments left open,
# quotes never closed, entities, and the classes the reader looks for in places it does not expect them.
_DISCORD_HTML_PIECES = [
    '<div class="chatlog__message-group">', '<div class="chatlog__message-container" data-message-id="1">',
    '<div class="chatlog__message-container" data-message-id="2">', '<div class="chatlog__message">', "</div>",
    '<span class="chatlog__author" title="Bot#0001">', '<span class="chatlog__author-name">', "</span>",
    '<span class="chatlog__timestamp"><a href="#x">7/20/2025 6:36 PM</a></span>', '<div class="chatlog__short-timestamp" title="20-Jul-25 06:37 PM">',
    '<div class="chatlog__short-timestamp" title="Thursday, January 29, 2026 1:16 PM">', '<span class="chatlog__edited-timestamp">',
    '<div class="chatlog__short-timestamp" title="Friday, 31 February 2026 13:99">', '<div class="chatlog__content">',
    '<span class="chatlog__markdown-preserve">', '<span class="preserve-whitespace">', "<strong>", "</strong>", "<em>", "<s>",
    '<code class="chatlog__markdown-pre chatlog__markdown-pre--inline">', '<code class="chatlog__markdown-pre chatlog__markdown-pre--multiline language-py">',
    "</code>", '<div class="chatlog__markdown-quote"><div class="chatlog__markdown-quote-content">', "<ul><li>", "</li>", "</ul>",
    "<h1>", "</h1>", "<br>", '<a href="https://x.example/(a)">', '<a href="javascript:alert(1)">', "</a>",
    '<img class="chatlog__emoji" alt="😀" title=":grinning:">', '<img alt="x" title="">', '<div class="chatlog__reply">',
    '<span class="chatlog__reply-link" onclick="scrollToMessage(event, \'1\')">', '<div class="chatlog__embed">',
    '<div class="chatlog__embed-title">', '<div class="chatlog__embed-field"><div class="chatlog__embed-field-name">',
    '<div class="chatlog__embed-field-value">', '<div class="chatlog__attachment"><a href="https://x.example/f.png">',
    '<div class="chatlog__reaction"><img alt="👍"><span class="chatlog__reaction-count">3</span>',
    '<span class="chatlog__system-notification-author">', '<span class="chatlog__system-notification-content">',
    '<span class="chatlog__system-notification-timestamp">', '<div class="preamble__entry">', "<!--", "-->", "<!-- x -->",
    '<a title="', "<", ">", "&amp;", "&lt;think&gt;", "&lt;/think&gt;", "&#0;", "&#x110000;", "&bogus;", "\n", "  ",
    "<script>", "</script>", "<style>", "</style>", "<?xml ?>", "<!DOCTYPE html>", "# x", "1. y", "> z", "* w", "`", "\\"]


_TELEGRAM_HTML_PIECES = [
    '<div class="message default clearfix" id="message2">', '<div class="message default clearfix joined" id="message3">',
    '<div class="message service" id="message-1">', '<div class="message service" id="message4">', '<div class="body">',
    '<div class="body details">', "</div>", '<div class="from_name">', '<div class="from_name">Ada via @bot', " via @x",
    '<div class="pull_right date details" title="03.09.2025 06:36:12 UTC+01:00">', '<div class="date" title="31.02.2025 25:61:00">',
    '<div class="pull_right date details" title="03.09.2025 06:36:12 UTC+99:99">', '<div class="text">', "<br>", "<strong>",
    "</strong>", "<em>", "<code>", "</code>", "<pre>", "</pre>", "<blockquote>", "</blockquote>", '<a href="https://x.example/">',
    '<a href="javascript:alert(1)">', "</a>", '<span class="spoiler hidden"><span>', "</span>", '<div class="forwarded body">',
    '<span class="date details" title="x">', '<div class="reply_to details">In reply to <a href="#go_to_message2">',
    '<a href="#go_to_message-9">', '<div class="media_wrap clearfix">', '<a class="photo_wrap clearfix pull_left" href="p.jpg">',
    '<div class="media clearfix pull_left media_file"><div class="title bold">', '<div class="media_poll"><div class="question bold">',
    '<div class="answer">- A', '<a class="sticker_wrap"><img class="sticker" alt="🌊">', '<div class="media_voice_message">',
    '<span class="reactions"><span class="reaction">👍 2', '<div class="page_header"><div class="text bold">',
    "<!--", "-->", '<a title="', "<", ">", "&amp;", "&#0;", "&bogus;", "\n", "  ", "# x", "1. y", "> z", "`", "\\"]


@pytest.mark.parametrize("name, first, pieces", [
    ("channel.html", '<div class="chatlog__message-group">', _DISCORD_HTML_PIECES),
    ("messages.html", '<div class="page_body chat_page">', _TELEGRAM_HTML_PIECES)])
def test_html_readers_raise_only_source_errors(name, first, pieces):
    """The exporter's mark first (else no reader claims the page), then any pieces of its pages, broken or not."""
    piece = st.sampled_from(pieces) | st.text(st.characters(codec="utf-8"), max_size=20)

    @FUZZ
    @given(st.lists(piece, max_size=40))
    def check(chosen):
        _read_only_source_errors(name, first + "".join(chosen))
    check()


def test_the_html_page_reader_keeps_every_character_of_text():
    """A page's text, whatever it holds (but markup), is read back as it was written, escaped or not."""
    from generator.readers.html_page import parse

    @FUZZ
    @given(st.text(st.characters(codec="utf-8", blacklist_characters="<&"), max_size=60), st.booleans())
    def check(text, wrapped):
        page = f"<div><span>{text}</span></div>" if wrapped else text
        assert parse(page).text() == text
        assert parse(f"<p>{html.escape(text)}</p>").text() == text
    check()


def test_the_cctrace_reader_raises_only_source_errors():
    """Its own title first (else another reader reads the file), then anything."""
    line = st.sampled_from(_CCTRACE_LINES) | st.text(st.characters(codec="utf-8"), max_size=30)

    @FUZZ
    @given(st.lists(line, max_size=30))
    def check(lines):
        _read_only_source_errors("export.md", "\n".join(["# Claude Code Session Export", "### 👤 User"] + lines))
    check()


# Bytes that reach every branch of decode: each unsafe character's UTF-8 and its neighbours, BOMs,
# carriage returns, invalid sequences, and plain text (with any bytes at all between them).
_DECODE_PIECES = st.sampled_from([
    b"a", b" ", b"\n", b"\t", b"\r", b"\r\n", b"\x00", b"\x1b", b"\x0b", b"\x7f", "\u0080".encode(), "\u009f".encode(),
    "\u00a0".encode(), "\u00e9".encode(), "\ufdd0".encode(), "\ufdef".encode(), "\ufdf0".encode(), "\ufffe".encode(),
    "\uffff".encode(), "\ufffd".encode(), "\ufeff".encode(), "\ufe0f".encode(), "\u2014".encode(), "😀".encode(),
    b"\xc2", b"\xef\xb7", b"\xff", b"\xed\xa0\x80",
])


@FUZZ
@given(st.lists(st.one_of(_DECODE_PIECES, st.binary(max_size=6)), max_size=30))
def test_decode_agrees_with_scanning_the_whole_text(pieces):
    """decode() skips the scan for unsafe characters when the bytes hold none of the bytes such a
    character's UTF-8 begins with: whatever the bytes, it gives what scanning every character gives."""
    from generator.readers import clean

    data = b"".join(pieces)
    try:
        found = clean.decode("x.md", data)
    except SourceError as err:
        found = err
    original = clean._NO_UNSAFE_LEAD
    clean._NO_UNSAFE_LEAD = b""  # no byte is taken out: text that has any is scanned
    try:
        try:
            scanned = clean.decode("x.md", data)
        except SourceError as err:
            scanned = err
    finally:
        clean._NO_UNSAFE_LEAD = original
    assert repr(found) == repr(scanned)


# The one pattern the JSON scan was before it was split in two (a look-behind counted the backslashes):
# slow, but plainly right, so the fast scan is checked against it.
_UNSAFE_JSON_AT_ONCE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|(?<!\\)(?:\\\\)*\\(?:[bf]|u(?:00[01]|007[fF]|"
                                  r"008|009|[dD][89a-fA-F]|[fF][dD][dDeE]|[fF]{3}[eEfF]))")
_CARRIAGE_RETURN_AT_ONCE = re.compile(r"(?<!\\)(?:\\\\)*\\(?:r|u000[dD])")


@FUZZ
@given(st.lists(st.sampled_from(["\\", "\\\\", "u", "0", "00", "1", "7f", "8", "9", "d", "D8", "fdd", "fff", "e", "b",
                                 "f", "r", "000d", "a", '"', "\n", "\x00", "\x1b", "\x7f", "\u0085", "é"]), max_size=40))
def test_the_json_scan_for_unsafe_escapes_finds_what_one_pattern_finds(pieces):
    """Where the first unsafe character or escape is: where the one pattern's match begins, or past the
    escaped backslashes it begins with; and a carriage return's escape where that pattern finds one."""
    from generator.readers.clean import json_needs_cleaning, json_unsafe_at

    text = "".join(pieces)
    at_once = _UNSAFE_JSON_AT_ONCE.search(text)
    found = json_unsafe_at(text)
    if at_once is None:
        assert found == -1
    else:
        assert found >= at_once.start() and set(text[at_once.start():found]) <= {"\\"}
        assert (found - at_once.start()) % 2 == 0
    assert json_needs_cleaning(text) == (at_once is not None or _CARRIAGE_RETURN_AT_ONCE.search(text) is not None)


_JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
                            max_leaves=12)


@FUZZ
@given(_JSON_VALUES, st.sampled_from(["", " ", "\n", "\r\n  "]), st.booleans(),
       st.sampled_from(["", "x", "]", "\x00", "\\u0000"]))
def test_the_records_after_the_leading_ones_are_all_the_records_and_one_value_is_decoded_once(value, space, lines, tail):
    """jsondoc.the_rest, which read_text and DiscordChatExporter's partitions read: the same records as
    reading the source again, whatever the JSON (or the damage after it); a source of one value (not an
    array, not JSON Lines) is decoded once, not twice."""
    from unittest import mock

    from generator.readers import jsondoc

    text = space + json.dumps(value, ensure_ascii=False) + space + tail
    try:
        leading = jsondoc.leading_records(text, "t.json", lines, 1)
        again = list(jsondoc.records(text, "t.json", lines, [] if lines else None))
    except SourceError:
        return
    with mock.patch.object(jsondoc, "_decode", wraps=jsondoc._decode) as decoding:
        rest = list(jsondoc.the_rest(leading, text, "t.json", lines, [] if lines else None))
    assert rest == again
    if not lines and not isinstance(value, list):
        assert decoding.call_count == 0  # the one value leading_records decoded is the record
