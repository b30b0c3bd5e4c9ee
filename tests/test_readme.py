"""The README stays true: its commands are what CI runs, its config table lists every key."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from generator.config import options
from tests.conftest import ROOT, transcript

README = (ROOT / "README.md").read_text("utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci/run").read_text("utf-8")
    build, tests = shell_blocks()[:2]
    assert "antiphon build" in build and "pytest" in tests
    assert build.strip() in ci and tests.strip() in ci


def test_every_config_key_is_documented():
    for option in options():
        assert f"| `{option.name}` |" in README, option.name


def test_the_own_transcripts_commands_work_when_pasted(tmp_path):
    """The block after the quick start, pasted into a fresh bash in the quick start's folder."""
    block = next(b for b in shell_blocks() if "cp ~/transcripts" in b)
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/.venv").symlink_to(sys.prefix)  # the quick start's venv
    (tmp_path / "home/transcripts").mkdir(parents=True)
    (tmp_path / "home/transcripts/mine.md").write_text(transcript(title="Ada ↔ Echo"), "utf-8")
    run = subprocess.run(["bash", "-e", "-c", block], cwd=tmp_path / "repo", capture_output=True, text=True,
                         env={"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "my-archive/site/c/ada-echo/index.html").is_file()


def test_the_agent_sessions_commands_work_when_pasted(tmp_path):
    """The agent-sessions block, pasted into a fresh bash in a new archive folder, with Claude Code's,
    Codex's, Gemini CLI's and aider's files where those tools keep them."""
    block = next(b for b in shell_blocks() if ".claude/projects" in b)
    home = tmp_path / "home"
    sessions = home / ".claude/projects/-home-ines-my-project"
    sessions.mkdir(parents=True)
    line = {"type": "user", "sessionId": "s-1", "timestamp": "2025-10-01T09:00:00Z", "uuid": "u1",
            "message": {"role": "user", "content": "Compare the pier four gauge with the survey"}}
    (sessions / "s-1.jsonl").write_text(json.dumps(line) + "\n", "utf-8")
    chats = home / ".gemini/tmp/b41c9f0e/chats"
    chats.mkdir(parents=True)
    (chats / "session-2025-11-03T07-40-7e21.json").write_text(json.dumps({
        "sessionId": "7e21", "startTime": "2025-11-03T07:40:12Z",
        "messages": [{"type": "user", "content": "Why is the buoy log empty?"},
                     {"type": "gemini", "model": "gemini-2.5-pro", "content": "Its writer was renamed."}]}), "utf-8")
    rollouts = home / ".codex/sessions/2025/10/19"
    rollouts.mkdir(parents=True)
    (rollouts / "rollout-2025-10-19T20-47-01-0199fe39.jsonl").write_text("\n".join(json.dumps(record) for record in [
        {"timestamp": "2025-10-19T20:47:01Z", "type": "session_meta", "payload": {"id": "0199fe39", "cwd": "/p"}},
        {"timestamp": "2025-10-19T20:47:02Z", "type": "response_item",
         "payload": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Fix the tide test"}]}},
        {"timestamp": "2025-10-19T20:47:09Z", "type": "response_item",
         "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Fixed."}]}}]),
        "utf-8")
    (home / "code/my-project").mkdir(parents=True)
    (home / "code/my-project/.aider.chat.history.md").write_text(
        "# aider chat started at 2025-06-01 09:15:02\n\n#### make the offset a setting  \n\nDone.\n", "utf-8")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/.venv").symlink_to(sys.prefix)
    script = "source .venv/bin/activate\nantiphon new ../my-archive && cd ../my-archive && rm content/*.md\n" + block
    run = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path / "repo", capture_output=True, text=True,
                         env={"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    built = sorted(path.parent.name for path in (tmp_path / "my-archive/site/c").glob("*/index.html"))
    assert built == ["2025-06-01-make-the-offset-a-setting", "2025-10-01-compare-the-pier-four-gauge-with-the-survey",
                     "2025-10-19-fix-the-tide-test", "2025-11-03-why-is-the-buoy-log-empty"]


def test_the_chat_exports_commands_work_when_pasted(tmp_path):
    """The chat-exports block, pasted into a fresh bash in a new archive folder, with a channel's page
    saved by DiscordChatExporter and a chat's folder by Telegram Desktop where they save them."""
    block = next(b for b in shell_blocks() if "Telegram" in b)
    downloads = tmp_path / "home/Downloads"
    chat = downloads / "Telegram Desktop/ChatExport_2025-09-03"
    (chat / "css").mkdir(parents=True)
    (chat / "css/style.css").write_text("body {}", "utf-8")
    (chat / "messages.html").write_bytes((ROOT / "tests/fixtures/formats/telegram.html").read_bytes())
    (downloads / "Harbour Office - Bots - tide-desk [1101].html").write_bytes(
        (ROOT / "tests/fixtures/formats/discord.html").read_bytes())
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/.venv").symlink_to(sys.prefix)
    script = "source .venv/bin/activate\nantiphon new ../my-archive && cd ../my-archive && rm content/*.md\n" + block
    run = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path / "repo", capture_output=True, text=True,
                         env={"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout + run.stderr
    built = sorted(path.parent.name for path in (tmp_path / "my-archive/site/c").glob("*/index.html"))
    assert built == ["2025-09-03-tide-bot", "2025-09-03-tide-desk-harbour-office"]
