"""Archives shaped like the ones people have (tests/fixtures/archives, original text): who spoke,
what each conversation is called, where each message starts, and what is not a transcript."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.archive import distinguish_titles
from generator.config import Config, load_config
from generator.diagnostics import SourceError
from generator.identity import Identity
from generator.insights import insights_of
from generator.model import Conversation, archive_speaker
from generator.readers import read_bytes, read_file
from generator.readers.runs import model_name
from generator.site import build
from tests.conftest import FIXTURES

ARCHIVES = FIXTURES / "archives"


def read(relative: str):
    return read_file(ARCHIVES / relative, relative, Identity.of(Config()))


def speeches(conversation):
    return [(m.speaker, m.label) for m in conversation.messages if m.kind == "message"]


def test_seats_take_the_names_of_the_models_the_folder_names_in_file_name_order():
    [log] = read("backrooms-md/claude-3-5-haiku-20241022_claude-3-opus-20240229/opus_haiku_cli_20241202_233629.md"
                 ).conversations
    assert speeches(log)[:2] == [("Claude 3 Opus", "Claude 1"), ("Claude 3.5 Haiku", "Claude 2")]
    [other] = read("backrooms-md/claude-3-5-haiku-20241022_claude-3-opus-20240229/haiku_opus_cli_20241203_081500.md"
                   ).conversations
    assert speeches(other)[:2] == [("Claude 3.5 Haiku", "Claude 1"), ("Claude 3 Opus", "Claude 2")]
    assert log.title == "Claude 3 Opus ↔ Claude 3.5 Haiku · cli · 2024-12-02 23:36"
    assert log.slug_base == "2024-12-02-claude-3-opus-claude-3-5-haiku-cli-2336"
    assert log.tags == ["cli"]


@pytest.mark.parametrize("model, name", [
    ("anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet v2"),  # Amazon Bedrock
    ("bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4"),  # with a cross-region prefix
    ("eu.anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1"),
    ("us.deepseek.r1-v1:0", "DeepSeek R1"),  # an id that does not name its family keeps the vendor
    ("vertex_ai/claude-sonnet-4@20250514", "Claude Sonnet 4"),  # Google Vertex
    ("claude-3-5-sonnet-v2@20241022", "Claude 3.5 Sonnet v2"),
    ("openai/google_genai.gemini-2.5-pro", "Gemini 2.5 Pro"),  # a proxy's
    ("claude-3-opus-20240229", "Claude 3 Opus"), ("gpt-4.1", "GPT-4.1"), ("o3.mini", "o3.mini"),
])
def test_a_models_id_on_a_cloud_platform_is_named_as_the_vendor_names_it(model, name):
    assert model_name(model) == name


@pytest.mark.parametrize("model, name", [
    # OpenRouter writes Claude's version with a dot, and routes to variants after a colon.
    ("anthropic/claude-3.5-sonnet", "Claude 3.5 Sonnet"), ("anthropic/claude-3.7-sonnet", "Claude 3.7 Sonnet"),
    ("anthropic/claude-3.5-haiku", "Claude 3.5 Haiku"), ("anthropic/claude-3-opus:beta", "Claude 3 Opus"),
    ("anthropic/claude-3.7-sonnet:thinking", "Claude 3.7 Sonnet Thinking"), ("moonshotai/kimi-k2:free", "Kimi K2"),
    ("claude-3.5-sonnet-20241022", "Claude 3.5 Sonnet v2"),
    # Cursor puts the version first from Claude 4 on too; Anthropic names those family first.
    ("claude-4.5-sonnet", "Claude Sonnet 4.5"), ("claude-4-sonnet", "Claude Sonnet 4"),
    ("claude-4.5-sonnet-thinking", "Claude Sonnet 4.5 Thinking"), ("claude-4.1-opus", "Claude Opus 4.1"),
    ("claude-2.1", "Claude 2.1"), ("claude-instant-1.2", "Claude Instant 1.2"),
    # OpenAI's own spelling of the words after a version, and ChatGPT's slugs.
    ("gpt-4o-mini", "GPT-4o mini"), ("gpt-3.5-turbo", "GPT-3.5 Turbo"), ("gpt-4.1-nano", "GPT-4.1 nano"),
    ("gpt-5-codex", "GPT-5-Codex"), ("gpt-5.1-codex-max", "GPT-5.1-Codex-Max"), ("openai/gpt-oss-120b", "gpt-oss-120b"),
    ("gpt-5-thinking", "GPT-5 Thinking"), ("gpt-5-t-mini", "GPT-5 Thinking mini"),
    ("text-davinci-002-render-sha", "GPT-3.5"), ("gpt-4-browsing", "GPT-4"), ("chatgpt-4o-latest", "ChatGPT-4o"),
    ("gpt-4o-2024-08-06", "GPT-4o"), ("minimax/minimax-m2", "MiniMax M2"),
    # Names of their own stay as they are.
    ("gemini-2.0-flash-thinking-exp", "Gemini 2.0 Flash Thinking Exp"), ("o3-mini-high", "o3-mini-high"),
    ("llama3.1:8b", "Llama3.1 8B"), ("sonnet3", "sonnet3"), ("claude", "claude"),
])
def test_a_models_id_is_named_as_its_maker_names_it_however_a_tool_spells_it(model, name):
    assert model_name(model) == name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["claude-3-opus-20240229", "claude-sonnet-4-20250514", "gpt-4.1",
                                              "gemini-2.5-pro", "qwen3-coder", "r1", "nova-pro"]),
       st.sampled_from(["", "us.", "eu.", "global."]), st.sampled_from(["anthropic.", "google_genai.", "deepseek.", "x."]))
def test_any_model_id_gets_a_name_and_a_platforms_dress_does_not_change_a_claude_id(garbage, model, region, vendor):
    assert isinstance(model_name(garbage), str)  # whatever a file names as its model
    assert isinstance(model_name(f"{region}{vendor}{garbage}-v1:0"), str)
    if model.startswith("claude"):
        assert model_name(f"{region}anthropic.{model}-v1:0") == model_name(model)
        assert model_name(model[:-9] + "@" + model[-8:]) == model_name(model)  # Vertex's date after '@'


_TITLES = st.sampled_from(["Ada ↔ Echo", "Warmup", "hi", "Ada ↔ Echo · 2025-01-01 10:00"])
_STARTS = st.one_of(st.none(), st.builds(lambda day, minute, second: datetime(2025, 1, day, 10, minute, second),
                                         st.integers(1, 2), st.integers(0, 1), st.integers(0, 59)),
                    st.builds(lambda day: datetime(2025, 1, day), st.integers(1, 2)))  # a day given alone


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TITLES, _STARTS), max_size=12))
def test_titles_several_conversations_share_are_told_apart_by_a_start_no_twin_shares(read):
    """Else by the file's name ('chat-3'), where two twins or more have no start to tell them apart."""
    conversations = [Conversation(title, [], Path(f"logs/chat-{n}.md"), started=start)
                     for n, (title, start) in enumerate(read)]
    distinguish_titles(conversations)
    shown = [c.title for c in conversations]
    assert [c.read_title for c in conversations] == [title for title, _ in read]  # the title as read is kept

    def told(start):  # to the minute; a day given alone (midnight, no zone) as the day
        return "" if not start else f"{start:%Y-%m-%d}" if start.hour == start.minute == start.second == 0 \
            else f"{start:%Y-%m-%d %H:%M}"

    def apart(title, start, twins):
        when = told(start)
        return len(twins) > 1 and when and [told(s) for s in twins].count(when) == 1 and when not in title

    for n, (conversation, (title, start)) in enumerate(zip(conversations, read)):
        twins = [s for t, s in read if t == title]
        untold = [s for s in twins if not apart(title, s, twins)]
        if apart(title, start, twins):
            assert conversation.title == f"{title} · {told(start)}"
        elif len(untold) > 1:
            assert conversation.title == f"{title} · chat-{n}"
        else:
            assert conversation.title == title
    distinguish_titles(conversations)  # a builder that holds them places them again: the same titles
    assert [c.title for c in conversations] == shown


def test_the_same_model_in_both_seats_keeps_its_seat():
    [log] = read("backrooms-md/claude-3-opus-20240229_claude-3-opus-20240229/"
                 "opus_opus_xenoweb_theater_1_20241128_210600.md").conversations
    assert [name for name, _ in speeches(log)] == ["Claude 3 Opus (1)", "Claude 3 Opus (2)", "Claude 3 Opus (1)"]
    assert log.title == "Claude 3 Opus (1) ↔ Claude 3 Opus (2) · xenoweb theater 1 · 2024-11-28 21:06"
    assert log.seated == ["Claude 3 Opus", "Claude 3 Opus"] and log.archive_speakers == ["Claude 3 Opus"]


def test_numbered_lines_a_model_writes_are_no_seats_of_the_run():
    """'GPT4o 1:' and 'GPT4o 2:' are the run's seats; the diary's '**Day 4:**' and the list's 'Room 3:
    The Quiet Stair' are what the second seat wrote, and its '**Day 1:**' is not the first seat."""
    [log] = read("logs/testing/gpt4o_gpt4o_cli_20241019_081502.txt").conversations
    assert log.speakers == ["GPT-4o (1)", "GPT-4o (2)"]
    assert [label for _, label in speeches(log)] == ["GPT4o 1", "GPT4o 2"] * 4
    diary, rooms = log.messages[1].text, log.messages[3].text
    assert "**Day 1:**" in diary and "**Day 9:**" in diary and "Room 3: The Quiet Stair" in rooms


def test_a_third_seat_named_as_the_others_is_a_seat(tmp_path):
    """The file name gives two models, but a third seat labelled as the first two are is the run's."""
    path = tmp_path / "opus_sonnet_trio_20241201_101010.txt"
    path.write_text("".join(f"Claude {seat}:\nTurn {turn} of seat {seat}.\n\n" for turn in range(3)
                            for seat in (1, 2, 3)), "utf-8")
    [log] = read_file(path, path.name, Identity.of(Config())).conversations
    assert len(log.messages) == 9 and log.messages[2].text.strip() == "Turn 0 of seat 3."
    assert [speaker for speaker, _ in speeches(log)][:3] == ["Claude 3 Opus", "Claude 3.5 Sonnet", "Claude 3"]


def test_a_folder_of_many_model_ids_is_not_tried_in_every_order():
    """Seats are matched to a folder's ids by trying their orders: ten ids would be 3.6 million."""
    from generator.readers.runs import run_name
    folder = "_".join(f"model-{n}" for n in range(10))
    short = [f"model{n}" for n in range(10)]
    run = run_name(Path(folder) / ("_".join(short + ["cli"]) + "_20250101_101010.txt"))
    assert run.models == short and run.template == "cli"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.from_regex(r"[a-z]{1,6}-[a-z0-9]{1,4}", fullmatch=True), min_size=1, max_size=12),
       st.integers(min_value=1, max_value=12))
def test_a_run_is_named_from_any_folder_of_model_ids(ids, count):
    """The folder's ids are matched to the file name's short names (in every order, when few)."""
    from generator.readers.runs import run_name
    short = [model.replace("-", "") for model in ids[:count]]
    run = run_name(Path("_".join(ids)) / ("_".join(short + ["cli"]) + "_20250101_101010.txt"))
    assert run is not None and all(model in ids or model in short for model in run.models)


@pytest.mark.parametrize("labels, models, names", [
    # a short name no alias defines, under generic seats: spelled as runners label it themselves
    (["Claude 1", "Claude 2"], ["sonnet3", "sonnet3"], ["Claude Sonnet 3 (1)", "Claude Sonnet 3 (2)"]),
    (["Claude Sonnet 3 1", "Claude Sonnet 3 2"], ["sonnet3", "sonnet3"], ["Claude Sonnet 3 (1)", "Claude Sonnet 3 (2)"]),
    (["Claude 1", "Claude 2"], ["opus45", "k2"], ["Claude opus45", "Kimi K2"]),  # two digits: left as written
    # OpenAI's reasoning models go by their ids; the runner's own 'O1 2' says less
    (["Claude 1", "O1 2"], ["opus", "o1-preview"], ["Claude 3 Opus", "o1-preview"]),
    (["Claude 1", "Claude 2"], ["o3-mini", "o3-mini"], ["o3-mini (1)", "o3-mini (2)"]),
])
def test_a_model_short_name_is_spelled_alike_in_both_kinds_of_log(labels, models, names):
    from generator.readers.runs import seat_names
    assert list(seat_names(labels, models).values()) == names


@pytest.mark.parametrize("name, speaker", [
    ("Claude 3 Opus (2)", "Claude 3 Opus"), ("GPT-5.2 (A)", "GPT-5.2"), ("Kimi K2 (12)", "Kimi K2"),
    # what a runner writes in brackets of its own stays in the name
    ("Media Agent (Discord Post)", "Media Agent (Discord Post)"),
    ("Hermes 405B (Reasoning)", "Hermes 405B (Reasoning)"),
    ("SQL (fts+trgm, caption)", "SQL (fts+trgm, caption)"), ("Agent (ab)", "Agent (ab)"), ("(1)", "(1)"),
    ("Opus(1)", "Opus(1)"), ("Opus (123)", "Opus (123)"), ("Opus (1) ", "Opus (1) "),
])
def test_a_seat_is_its_model_across_the_archive(name, speaker):
    assert archive_speaker(name) == speaker


@given(st.text(min_size=1).filter(lambda name: not name[-1].isspace() and "\n" not in name),
       st.sampled_from([str(n) for n in range(1, 100)] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
def test_any_name_with_a_seat_is_that_name_across_the_archive(name, seat):
    assert archive_speaker(f"{name} ({seat})") == name


def test_headings_the_models_wrote_stay_in_their_messages():
    [log] = read("backrooms-md/claude-3-5-haiku-20241022_claude-3-opus-20240229/opus_haiku_cli_20241202_233629.md"
                 ).conversations
    assert {m.speaker for m in log.messages} == {"Claude 3 Opus", "Claude 3.5 Haiku"}
    registry = log.messages[3].text
    assert registry.startswith("### TIDE REGISTRY v0.3 ###\n") and "### FATAL ERROR: WICK NOT FOUND ###" in registry
    # The runner's ending line names a seat ('Claude 1'): the model in it, as its messages name it.
    assert log.metadata["Ending"] == "Claude 3 Opus has ended the conversation with ^C^C."


def test_a_run_header_block_is_metadata_and_runner_agents_are_speakers():
    result = read("logs/dreamsim3/k2_k2_dreamsim3_20250920_121226.txt")
    [log] = result.conversations
    assert log.metadata["Template"] == "dreamsim3" and log.metadata["Models"] == "k2, k2"
    assert log.started.isoformat() == "2025-09-20T12:12:26.529818+00:00"
    assert [m.speaker for m in log.messages] == ["Kimi K2 (1)", "Kimi K2 (2)", "Media Agent", "Kimi K2 (1)",
                                                "Kimi K2 (2)"]
    assert "Backrooms Run" not in " ".join(m.text for m in log.messages)
    assert "### CCRU FIELD NOTE ###" in log.messages[1].text  # the model's own heading
    assert log.messages[3].text.startswith("Symbol: lighthouse\nMeaning:")
    assert log.opening[0].startswith("simulator@moonshot")  # the excerpt is speech, not the header block


def test_an_empty_run_is_a_note_not_a_conversation():
    result = read("logs/dreamsim3/k2_k2_dreamsim3_20250920_121900.txt")
    assert result.conversations == []
    assert [(d.level, d.message) for d in result.diagnostics] == [
        ("note", "an empty log (the run wrote no messages); skipped")]


def test_a_run_begun_again_in_the_same_file_is_a_note_not_a_speaker(tmp_path):
    """A runner that starts twice writes its header block twice: the second is its note, and a file
    of header blocks alone is an empty run."""
    header = "### Backrooms Run ###\nTemplate: tides\nModels: k2, k2\nStarted: 2025-09-21T08:00:0{}+00:00\n\n"
    restarted = tmp_path / "k2_k2_tides_20250921_080000.txt"
    restarted.write_text(header.format(1) + "### Round 1/30\n\n### Kimi K2 1 ###\nThe tide is late.\n\n"
                         + header.format(7) + "### Round 1/30\n\n### Kimi K2 2 ###\nIt always is.\n", "utf-8")
    [log] = read_file(restarted, restarted.name, Identity.of(Config())).conversations
    assert [(m.speaker, m.kind) for m in log.messages] == [("Kimi K2 (1)", "message"), ("Backrooms Run", "note"),
                                                          ("Kimi K2 (2)", "message")]
    assert "Started: 2025-09-21T08:00:07+00:00" in log.messages[1].text
    assert log.speakers == ["Kimi K2 (1)", "Kimi K2 (2)"]
    empty = tmp_path / "k2_k2_tides_20250921_090000.txt"
    empty.write_text(header.format(1) + "### Round 1/30\n" + header.format(2) + "### Round 1/30\n", "utf-8")
    result = read_file(empty, empty.name, Identity.of(Config()))
    assert result.conversations == [] and [d.message for d in result.diagnostics] == [
        "an empty log (the run wrote no messages); skipped"]


def test_runner_seats_show_the_models_and_the_seed_prompt_is_context():
    first, second = read("runs/cross_model-a_vs_model-b/conversations.json").conversations
    assert speeches(first) == [("Claude Sonnet 4.5", "A"), ("GPT-5.2", "B")]
    assert (first.messages[0].kind, first.messages[0].text) == ("context", "You may talk about anything at all.")
    assert first.started.isoformat() == "2026-02-10T15:10:55.359166"
    assert first.title != second.title
    solo = read("runs/solo/conversations.json").conversations[0]
    assert speeches(solo) == [("Olmo-3-7B-Think (A)", "A"), ("Olmo-3-7B-Think (B)", "B")]
    assert solo.metadata["Revision"] == "step1000" and solo.started is not None


def test_the_speakers_table_gives_many_labels_one_name():
    config = Config(speakers={"claude-3-opus-20240229": {"name": "Opus", "aliases": ["Claude Opus"]}})
    [log] = read_file(ARCHIVES / "backrooms-md/claude-3-opus-20240229_claude-3-opus-20240229/"
                                 "opus_opus_xenoweb_theater_1_20241128_210600.md", "x.md",
                      Identity.of(config)).conversations
    assert [m.speaker for m in log.messages] == ["Opus (1)", "Opus (2)", "Opus (1)"]
    assert [m.label for m in log.messages] == ["Claude 1", "Claude 2", "Claude 1"]


def test_a_title_template_chooses_the_fields():
    config = Config(title_template="{template} · {date}")
    [log] = read_file(ARCHIVES / "logs/dreamsim3/k2_k2_dreamsim3_20250920_121226.txt", "x.txt",
                      Identity.of(config)).conversations
    assert log.title == "dreamsim3 · 2025-09-20"


def test_a_claude_code_log_in_markdown_reads_as_the_session_it_was():
    """claude-conversation-extractor's export: '## 👤 User' / '## 🤖 Claude' after each rule. What the
    model wrote ('---' then '## Summary') stays in its message; tools it called are tool calls; Claude
    Code's own caveat, commands and note of an interruption are not the user's speech; the title is what the user asked."""
    result = read("claude-logs/claude-conversation-2026-03-04-5e1a9c2b.md")
    [log] = result.conversations
    assert result.format == "claude-log" and result.diagnostics == []
    assert log.title == "Tidy the lighthouse notes"
    assert log.started.isoformat() == "2026-03-04T09:12:40"
    assert log.metadata["Session"] == "5e1a9c2b-7d41-4c0e-9a8f-2b6d3e1f0a77"
    assert [(m.speaker, m.kind) for m in log.messages] == [
        ("User", "note"), ("User", "command"), ("User", "message"), ("Claude", "message"), ("Claude", "tool_call"),
        ("Claude", "tool_call"), ("Tool", "tool_result"), ("Claude", "message"), ("User", "note")]
    assert log.messages[8].text == "[Request interrupted by user for tool use]"  # Claude Code's, not the user's
    assert log.participants == ["User", "Claude"]
    plan = log.messages[7]
    assert plan.text.endswith("Here is the plan:\n\n---\n\n## Summary\n\n- keep **tides.md** as it is\n"
                              "- fold lamp.md into it") and plan.line == 65
    assert log.messages[4].text == "**Bash** — List the notes\n\n```sh\n$ ls notes/\n```"
    assert log.messages[5].text == "**Read** `/home/keeper/notes/lamp.md`"
    assert log.messages[6].text == "lamp.md\ntides.md"


def test_a_summary_written_in_sections_is_no_chat_between_its_section_names():
    """Session summaries with a section per heading ('**Key Actions & Decisions:**', '**Outcome of the
    Session:**'), one set per session summed up: not a chat of 'Goal ↔ Key Actions & Decisions ↔ …'.
    A chat whose model writes such a label now and then is still a chat."""
    day = ("## Pier log, day {n}\n\n**Goal:** Calibrate gauge {n}.\n\n**Key Actions & Decisions:**\n\n"
           "* Levelled the bracket.\n\n**Problems & Fixes:**\n\nThe bolt sheared.\n\n"
           "**Outcome of the Session:** Gauge {n} reads true.\n\n**Overall Analysis:** Slow but sound.\n\n")
    summary = read_bytes(Path("summary.md"), (day.format(n=1) + day.format(n=2)).encode(), "summary.md")
    assert summary.conversations == [] and "not a transcript" in summary.diagnostics[0].message
    chat = "".join(f"User: How is gauge {n}?\nAssistant: It reads true.\n**Pros & Cons:** none\n" for n in range(6))
    [talk] = read_bytes(Path("chat.md"), chat.encode(), "chat.md").conversations
    assert talk.speakers == ["User", "Assistant"] and "**Pros & Cons:** none" in talk.messages[1].text
    # Nor is a sentence the model opens with a joining word and a colon ('But:', 'Not:', 'And yet:').
    turns = "".join(f"Ada: Is the tide late {n}?\nEcho: It is.\n" + ("But: the moon says otherwise.\nAnd yet: we wait.\n" * (n % 2))
                    for n in range(6))
    [joined] = read_bytes(Path("joined.md"), turns.encode(), "joined.md").conversations
    assert joined.speakers == ["Ada", "Echo"] and "And yet: we wait." in joined.messages[3].text


def test_a_formatters_chat_pairs_under_emoji_and_front_matter():
    """A chat formatter's page: front matter ('model: undefined' among its fields), a table of
    details, then pairs under '#### Chat Pair N', each message under an emoji and a role in bold
    ('🧑‍💻 **user:**', '🤖 **model:**'). The emoji hid the labels (no conversation was read), and the
    front matter's 'model:' line started a message of its own."""
    pairs = "".join(f"#### Chat Pair {n}<a name=\"pair{n}\"></a>\n🧑‍💻 **user:**\n\nTell me of tide {n}.\n\n"
                    f"🤖 **model:**\n\nTide {n} turns at dusk.\n\n" for n in range(1, 4))
    page = ("---\ntitle: Tide Talk\ndate: 2023-06-20\nmodel: undefined\nformatter_version: 0.1\nparameters: \n  top_p: null\n---\n\n"
            "# Title: Tide Talk\n\n| Detail | Value |\n| --- | --- |\n| Model | tern-4 |\n\n---\n\n## Conversation\n\n" + pairs)
    [chat] = read_bytes(Path("pairs.md"), page.encode(), "pairs.md").conversations
    assert chat.title == "Tide Talk" and chat.started == datetime(2023, 6, 20)
    assert chat.metadata["Formatter version"] == "0.1"  # a field's name as words
    spoken = [m for m in chat.messages if m.kind == "message"]
    assert [m.speaker for m in spoken] == ["user", "model"] * 3
    assert [m.text.strip() for m in spoken[:2]] == ["Tell me of tide 1.", "Tide 1 turns at dusk."]
    # A header's '**Model:**' field is no speaker's role: a person's chat with an assistant keeps its two.
    chat = "**Model:** tern-4\n\n" + "".join(f"**You:** q{n}\n\n**Claude:** a{n}\n🎭 **Void Dancer**: aside\n\n" for n in range(3))
    [roles] = read_bytes(Path("roles.md"), chat.encode(), "roles.md").conversations
    assert roles.speakers == ["You", "Claude"] and "🎭 **Void Dancer**: aside" in roles.messages[-1].text


def test_a_chat_titled_by_its_participants_under_a_heading_for_each_round():
    """'# Vibetest: Claude Opus ↔ GLM 5' over rounds, each under '## Round N — what it is about', each
    speaker in bold ('**Claude:**', '**GLM 5:**'). The labels under each heading read as a document's
    fields, and the title as a native transcript's, which has no '### speaker': an error that failed the
    build. The title names the speakers; 'GLM 5' is a model, not a run's fifth seat; the labels they
    write are their text, and each round's heading opens its first message."""
    rounds = "".join(f"---\n\n## Round {n} — On tide {n}\n\n**Claude:**\n> Question {n}?\n\n"
                     f"**GLM 5:**\nAnswer {n}.\n\n**What I notice:** the tide.\n\n" for n in range(1, 4))
    page = "# Vibetest: Claude Opus ↔ GLM 5\n*2026-02-11 22:47 — first contact*\n\n**Model:** glm-5\n\n" + rounds
    [chat] = read_bytes(Path("vibe.md"), page.encode(), "vibe.md").conversations
    spoken = [m for m in chat.messages if m.kind == "message"]
    assert [m.speaker for m in spoken] == ["Claude", "GLM 5"] * 3
    assert spoken[0].text.startswith("## Round 1 — On tide 1\n\n> Question 1?")
    assert spoken[3].text.strip() == "Answer 2.\n\n**What I notice:** the tide."
    # A heading that says only its number is still the exporter's, left out.
    bare = page.replace(" — On tide", "")
    [plain] = read_bytes(Path("bare.md"), bare.encode(), "bare.md").conversations
    assert all("## Round" not in m.text for m in plain.messages if m.kind == "message")


def test_a_numbered_list_a_model_writes_is_no_run_of_seats():
    """'PROMPT 1:' to 'PROMPT 8:' in an answer look like a run's seats ('Claude 1:'), and as seats they
    alone started messages: the chat became eight speakers of one line each. A run has a few seats."""
    prompts = "".join(f"PROMPT {n}: Ask about tide number {n}.\n" for n in range(1, 9))
    chat = "Ada: Give me prompts.\nEcho: Here:\n" + prompts + "Ada: Thanks.\nEcho: Welcome.\n"
    [talk] = read_bytes(Path("prompts.md"), chat.encode(), "prompts.md").conversations
    assert talk.speakers == ["Ada", "Echo"] and "PROMPT 8: Ask about tide number 8." in talk.messages[1].text


def test_a_debate_runners_session_names_its_personas_topic_times_and_models():
    """A runner that sets two models on each other saves OpenAI-shaped messages with more beside
    them: the persona that spoke, when, the topic, and each persona's model. Read as roles alone,
    every such session was 'User ↔ Assistant', undated, and titled alike."""
    [session] = read("debates/20250301_101500_Design_a_tide_gauge_network/session.json").conversations
    assert session.title == "Design a tide gauge network"
    assert session.speakers == ["Visionary", "Skeptic"]
    # The runner's own prompts and referee calls ('speaker': 'system') are context, folded.
    assert [(m.speaker, m.kind) for m in session.messages][:4] == [
        ("System", "context"), ("System", "context"), ("Visionary", "message"), ("System", "context")]
    assert session.started == datetime(2025, 3, 1, 10, 15, 0, 125000)
    assert session.ended == datetime(2025, 3, 1, 10, 15, 59, 500000)
    assert session.messages[2].time == datetime(2025, 3, 1, 10, 15, 16, 250000)
    assert session.metadata["Models"] == "Visionary: claude-3-5-sonnet-20240620; Skeptic: gpt-4o-mini"
    assert session.metadata["Status"] == "completed"
    [cut_short] = read("debates/20250302_093000_Design_a_harbour_ferry_booking_system/session.json").conversations
    assert cut_short.metadata["Status"] == "max_turns_reached"
    # The status says how the run ended (every debate was 'still going').
    assert (insights_of(session).ending.kind, insights_of(cut_short).ending.label) == ("completed", "turn limit reached")


def test_models_set_on_each_other_are_named_by_their_model_and_a_model_with_itself_by_its_seat():
    """A runner of model pairings writes each message as the 'assistant' it was to its model, with the
    model's id and its seat ('initiator', 'responder'). Read by role, every speaker of every pairing
    was 'Assistant' and every title the same."""
    [itself] = read("pairings/3f2a9c10-7d41-4e8b-9a55-0c1d2e3f4a5b.json").conversations
    assert speeches(itself) == [("Claude Opus 4 (1)", "initiator"), ("Claude Opus 4 (2)", "responder")] * 2
    assert [archive_speaker(name) for name in itself.speakers] == ["Claude Opus 4"] * 2  # one speaker of the archive
    assert itself.metadata["Models"] == "claude-opus-4-20250514, claude-opus-4-20250514"
    assert itself.started.isoformat() == "2025-12-13T21:45:14.000001+00:00"
    [pair] = read("pairings/8b7c6d5e-4f3a-4b2c-9d1e-0f9e8d7c6b5a.json").conversations
    assert pair.speakers == ["Mistral Large 2512", "Gemini 3 Flash Preview"]  # two models: no seat to tell apart
    assert pair.title == "Mistral Large 2512 ↔ Gemini 3 Flash Preview"


def test_a_chat_exported_with_stamped_names_is_split_at_them_only_and_dated_by_them():
    """An exporter of Claude's chats heads each message '**Human** - 2024-07-19 02:14:10 UTC' between
    rules, under 'Created:' fields. Read by 'Name:' labels, the model's 'Step 1:' and 'def main():'
    were speakers, and two files in three were no transcript at all."""
    [chat] = read("chat-exports/Tide_Gauge_Wiring_Questions_5e2d9a41.md").conversations
    assert chat.title == "Tide Gauge Wiring Questions"
    assert [(m.speaker, m.kind) for m in chat.messages] == [("Human", "message"), ("Assistant", "message")] * 2
    assert chat.messages[1].time == datetime(2025, 1, 28, 19, 42, 19, tzinfo=timezone.utc)
    # The messages' times say when it started, not the front matter a notes app wrote (2025-02-10).
    assert chat.started == datetime(2025, 1, 28, 19, 42, 11, tzinfo=timezone.utc)
    assert chat.metadata["UUID"] == "5e2d9a41-0c3b-4f7e-9a12-7d8e6f5a4b3c"
    answer = chat.messages[1].text
    assert "### If you use a shared 5 V rail:\n\nStep 1: Measure" in answer and "def main():" in answer
    assert not answer.rstrip().endswith("---")  # the exporter's rule between messages is not the answer's


def test_a_stamped_export_whose_first_message_is_longer_than_what_is_sniffed_is_still_a_chat():
    header = "# Long paste\n\nCreated: 2025-01-28 19:42:05 UTC\nUUID: 5e2d9a41\n\n---\n\n"
    first = "**Human** - 2025-01-28 19:42:11 UTC\n\n" + "Here is my whole log: line of text.\n" * 3000
    text = header + first + "\n---\n\n**Assistant** - 2025-01-28 19:43:00 UTC\n\nThe log shows one fault.\n"
    [chat] = read_bytes(Path("paste.md"), text.encode(), "paste.md").conversations
    assert [m.speaker for m in chat.messages] == ["Human", "Assistant"] and chat.title == "Long paste"


def test_names_that_label_lines_only_inside_code_blocks_are_no_speakers():
    """A post of a model's ASCII art, its cats talking in the drawings ('Kitty 1: meow'), is no chat
    of kittens; in a chat, a model's code block with such lines keeps them; and a block left open
    in one message (a cut-off answer) hides none of the messages after it."""
    art = "```\n /\\_/\\\nKitty 1: meow\nKitty 2: mrrp\n```\n\nSome text about the drawing.\n\n"
    post = read_bytes(Path("cats.md"), ("# Cats\n\n" + art * 3).encode(), "cats.md")
    assert post.conversations == [] and "not a transcript" in post.diagnostics[0].message
    chat = "User: draw cats\nAssistant: here:\n" + art + "User: more\nAssistant: done\n"
    [talk] = read_bytes(Path("chat.txt"), chat.encode(), "chat.txt").conversations
    assert [m.speaker for m in talk.messages] == ["User", "Assistant", "User", "Assistant"]
    assert "Kitty 1: meow" in talk.messages[1].text
    cut = "User: show me\nAssistant: ```python\nprint(1)\nUser: it stopped\nAssistant: ```\nprint(2)\n```\n"
    [cut_off] = read_bytes(Path("cut.txt"), cut.encode(), "cut.txt").conversations
    assert [m.speaker for m in cut_off.messages] == ["User", "Assistant", "User", "Assistant"]


def test_an_api_reference_with_a_heading_under_each_function_is_not_a_transcript():
    """'### Examples' under every function, and no rule: a document, not a native transcript whose
    messages are missing (that was an error, and failed the build)."""
    section = "## run()\n\nRuns it.\n\n### Examples\n\n```js\nrun()\n```\n\n### Returns\n\nNothing.\n\n"
    reference = read_bytes(Path("api.md"), ("# API\n\n" + section * 3).encode(), "api.md")
    assert reference.conversations == [] and "not a transcript" in reference.diagnostics[0].message
    # Rules between the sections ('---' then '## '), as a story's plan has them under each premise.
    ruled = read_bytes(Path("seeds.md"), ("# Seeds\n\n*Plans*\n\n" + ("---\n\n" + section) * 3).encode(), "seeds.md")
    assert ruled.conversations == [] and "not a transcript" in ruled.diagnostics[0].message


def test_a_note_with_front_matter_and_a_heading_under_each_section_is_not_a_transcript():
    """A notes app's page: front matter ('created:', 'updated:'), then '## ' sections with the same
    '### ' headings under each. Its front matter's '---' lines were taken for a transcript's rule, so
    the note was read as a native transcript with no title line: an error, and the build failed."""
    section = "## The {0} Start\n### Idea\n- begin while {0}\n\n### Steps\n1. stage it\n   - a note\n\n"
    page = ("---\ncreated: 2024-03-02T08:11\nupdated: 2024-03-04T17:24\n---\n# Starting Tricks\n\n"
            + "".join(section.format(word) for word in ("Warm", "Cold", "Slow")) + "## See also\n[[Habits]]\n")
    note = read_bytes(Path("tricks.md"), page.encode(), "tricks.md")
    assert note.conversations == [] and [d.level for d in note.diagnostics] == ["note"]
    assert "not a transcript" in note.diagnostics[0].message
    # The same front matter over a transcript's messages, with no title: meant as one, so its error shows.
    talk = "---\ncreated: 2024-03-02\n---\n" + "".join(f"---\n### {who}\nhello {n}\n\n" for n, who in enumerate(["Ada", "Bo"] * 2))
    with pytest.raises(SourceError, match="title line"):
        read_bytes(Path("talk.md"), talk.encode(), "talk.md")


def test_one_exchange_saved_by_a_script_is_a_conversation():
    """A script that saves each call to a model writes a title, the time in italics, then the prompt
    and the answer under '**USER:**' and '**ASSISTANT:**', a rule after each. One label each, so none
    recurred: the file was 'not a transcript', and an archive of four hundred such calls published
    nothing. The time is when it started, the rules are the script's, and the labels the answer
    writes ('Note:') are its text."""
    call = ("# Voice Call: z-ai/glm-4.7\n*2026-01-05 09:14:02*\n\n---\n\n**USER:**\n\nWhat does the tide"
            " remember?\n\n---\n\n**ASSISTANT:**\n\nOnly the shape of the shore.\n\nNote: it forgets the"
            " rest by noon.\n\n---\n")
    [chat] = read_bytes(Path("call.md"), call.encode(), "call.md").conversations
    assert chat.title == "Voice Call: z-ai/glm-4.7" and chat.started == datetime(2026, 1, 5, 9, 14, 2)
    # The model the title names by its OpenRouter id is the assistant; its role is the label.
    assert [(m.speaker, m.label) for m in chat.messages] == [("USER", ""), ("GLM 4.7", "ASSISTANT")]
    assert chat.metadata["Model"] == "z-ai/glm-4.7"
    assert chat.messages[0].text.strip() == "What does the tide remember?"
    assert chat.messages[1].text.strip() == "Only the shape of the shore.\n\nNote: it forgets the rest by noon."
    # An answer in sections, each opening with the same phrase in bold, is still the answer.
    sections = "".join(f"### {n}) A cost\n\n**What gets harder:** item {n}.\n\n" for n in range(4))
    [answered] = read_bytes(Path("s.md"), call.replace("Only the shape", sections + "Only the shape").encode(), "s.md").conversations
    assert [m.speaker for m in answered.messages] == ["USER", "GLM 4.7"] and "**What gets harder:** item 3." in answered.messages[1].text
    # A title naming no model id, or two, names no one.
    for title in ("Notes on src/main.py", "openai/gpt-5.2 or z-ai/glm-4.7?"):
        [other] = read_bytes(Path("t.md"), call.replace("Voice Call: z-ai/glm-4.7", title).encode(), "t.md").conversations
        assert [m.speaker for m in other.messages] == ["USER", "ASSISTANT"]
    # A page that quotes one exchange as an example, after its own text, is still a document.
    guide = "# Prompting notes\n\n" + "Some advice on asking well, line by line.\n" * 12 + (
        "\n**User:**\nSay hello.\n\n**Assistant:**\nHello.\n")
    quoted = read_bytes(Path("guide.md"), guide.encode(), "guide.md")
    assert quoted.conversations == [] and "not a transcript" in quoted.diagnostics[0].message
    # The answer first, or a label before the person's, is no such exchange.
    for text in ("**ASSISTANT:**\nHello.\n\n**USER:**\nHi.\n", "**Model:** x\n\n**USER:**\nHi.\n\n**ASSISTANT:**\nHello.\n"):
        assert read_bytes(Path("other.md"), text.encode(), "other.md").conversations == []


def test_the_rule_an_exporter_writes_after_each_message_is_not_the_messages():
    """'---' after every message is the exporter's line between them (it showed as a rule closing
    each message); a rule that closes one message of several is that message's own."""
    chat = "".join(f"Ada: line {n}\n\n---\n\nBo: answer {n}\n\n---\n\n" for n in range(2))
    [talk] = read_bytes(Path("rules.txt"), chat.encode(), "rules.txt").conversations
    assert [m.text.strip() for m in talk.messages] == ["line 0", "answer 0", "line 1", "answer 1"]
    own = "Ada: line 0\n\nBo: answer 0\n\n---\n\nAda: line 1\n\nBo: answer 1\n"
    [kept] = read_bytes(Path("own.txt"), own.encode(), "own.txt").conversations
    assert kept.messages[1].text.strip() == "answer 0\n\n---"


def test_in_a_persons_chat_with_an_assistant_the_labels_it_writes_are_its_text():
    """'You' and 'Claude' take turns; the keepers of a scene Claude stages ('KEEPER ONE:') and the
    'Analogy:' lines of its answer were speakers of their own."""
    [chat] = read("chat-exports/lighthouse-voices.md").conversations
    assert chat.speakers == ["You", "Claude"]
    assert [m.speaker for m in chat.messages] == ["You", "Claude"] * 3
    assert "KEEPER TWO: The gulls left" in chat.messages[1].text and "Analogy: think" in chat.messages[3].text
    # Three models, one named 'Claude': the roles do not take turns alone, and every model speaks.
    run = "".join(f"Claude: point {n}\nGPT-4o: answer {n}\nGemini: aside {n}\n" for n in range(3))
    [three] = read_bytes(Path("run.txt"), run.encode(), "run.txt").conversations
    assert three.speakers == ["Claude", "GPT-4o", "Gemini"]


def test_a_design_summary_whose_model_repeats_a_refrain_is_no_chat_between_refrains():
    """The runner's README quotes the debate, and each model opens a paragraph with its refrain
    ('Reaffirming our principle: …'), twice or more: a document, not a chat of two refrains."""
    readme = read("debates/20250301_101500_Design_a_tide_gauge_network/README.md")
    assert readme.conversations == [] and "not a transcript" in readme.diagnostics[0].message


def test_a_shell_command_with_a_colon_in_its_quotes_is_no_speaker():
    """A deployment guide's 'echo "lxc.mount.entry: …" >> file' lines, twice, beside '**On the host:**'
    headings, were a chat between a command and a place."""
    step = ('On the host:\n\n```bash\necho "mount.entry: /dev/ttyUSB{n} dev/ttyUSB{n} none bind" >> /etc/ct/{n}.conf\n'
            'systemctl restart ct@{n}\n```\n\nThen check the container sees the device.\n\n')
    guide = read_bytes(Path("DEPLOY.md"), ("# Deploying the gauges\n\n" + step.format(n=0) + step.format(n=1)).encode(),
                       "DEPLOY.md")
    assert guide.conversations == [] and "not a transcript" in guide.diagnostics[0].message


def test_text_beside_a_commands_wrappers_is_kept():
    from generator.readers.claude_code import user_turn
    turn = user_turn("User", "<command-name>/review</command-name>\n<command-args>#314</command-args>\n"
                             "and look at the lamp code first", 3, None)
    assert (turn.kind, turn.text) == ("command", "`/review #314`\n\nand look at the lamp code first")
    assert user_turn("User", "<command-name>/clear</command-name>\n", 3, None).text == "`/clear`"


def test_a_claude_code_log_pasted_with_an_indent_reads_as_if_it_had_none():
    [log] = read("claude-logs/claude-conversation-2026-03-05-agent-7c.md").conversations
    assert log.title == "Ready to search the harbour archive."
    assert [(m.speaker, m.text) for m in log.messages] == [
        ("Claude", "Ready to search the harbour archive.\n\n  An indented line stays indented."),
        ("Claude", "Two logs name the lamp: `lamp.md` and `pier.md`.")]


WARM_UP_LOG = """# Claude Conversation Log

Session ID: agent-5e0d1a77
Date: 2026-03-05 17:39:58

---

## 🤖 Claude

Ready when you are! I can look through the harbour archive for you.

---
"""


def _session(*records: dict) -> bytes:
    base = {"sessionId": "s-1", "agentId": "5e0d1a77", "isSidechain": True, "timestamp": "2026-03-05T17:39:58Z"}
    return "".join(json.dumps({**base, **record}) + "\n" for record in records).encode()


def test_a_sub_agents_warm_up_is_a_note_not_a_conversation():
    warm_up = _session({"type": "user", "uuid": "u1", "message": {"role": "user", "content": "Warmup"}},
                       {"type": "assistant", "uuid": "a1", "message": {"role": "assistant", "model": "claude-haiku-4-5",
                                                                       "content": [{"type": "text", "text": "Ready!"}]}})
    for name, data in (("agent-5e0d1a77.jsonl", warm_up), ("agent-5e.md", WARM_UP_LOG.encode())):
        result = read_bytes(Path(name), data, name)
        assert not result.conversations and [d.level for d in result.diagnostics] == ["note"], name
        assert "a Claude Code warm-up" in result.diagnostics[0].message
    # Given work after all, or asked something else, or a session's own log: kept.
    worked = _session({"type": "user", "uuid": "u1", "message": {"role": "user", "content": "Warmup"}},
                      {"type": "assistant", "uuid": "a1", "message": {"role": "assistant", "content": [
                          {"type": "tool_use", "id": "t1", "name": "Glob", "input": {"pattern": "*.md"}}]}})
    asked = _session({"type": "user", "uuid": "u1", "message": {"role": "user", "content": "Find the lamp logs"}},
                     {"type": "assistant", "uuid": "a1", "message": {"role": "assistant", "content": "Two."}})
    own = WARM_UP_LOG.replace("agent-5e0d1a77", "5e0d1a77-0000-4000-8000-000000000000").encode()
    for name, data in (("agent-1.jsonl", worked), ("agent-2.jsonl", asked), ("own.md", own)):
        assert len(read_bytes(Path(name), data, name).conversations) == 1, name


def test_a_long_first_request_makes_a_title_cut_at_a_word():
    from generator.readers.common import opening_title
    asked = "## Port the tide tables " + "from the old almanac format " * 5
    title = opening_title(asked)
    assert title.startswith("Port the tide tables from") and title.endswith("…") and len(title) <= 80
    assert not title[:-1].endswith(" ") and asked.replace("## ", "").startswith(title[:-1])
    assert opening_title("\n\n> Short question?\nsecond line") == "Short question?"


def test_a_chat_exporters_markdown_names_speakers_by_its_headings_and_keeps_its_title():
    """'#### You:' / '#### ChatGPT:' as browser exporters write them: the speakers are You and ChatGPT
    (not '#### You'), the '# Title' line before them is the title, and a model's own '### Details' stays."""
    [chat] = read("chat-exports/harbour-lamp-timings.md").conversations
    assert chat.title == "Harbour lamp timings" and chat.participants == ["You", "ChatGPT"]
    assert [m.speaker for m in chat.messages] == ["You", "ChatGPT", "You", "ChatGPT"]
    assert "### Details\n\n1. Check the tide table." in chat.messages[1].text


def test_headings_that_are_only_a_role_start_the_messages():
    """'## User' / '## Assistant', and '### 👤 User' / '### 🤖 Assistant' under an exporter's own '## Conversation'
    heading: the roles are the speakers, a model's '## Summary' stays in its message, nothing is dropped."""
    [oil] = read("chat-exports/lamp-oil-question.md").conversations
    assert oil.title == "Lamp oil question" and [m.speaker for m in oil.messages] == ["User", "Assistant", "User"]
    assert oil.messages[1].text == "About a pint on a long winter night.\n\n## Summary\n\n- a pint\n- more in wind"
    [tide] = read("chat-exports/tide-table-chat.md").conversations
    assert tide.title == "Tide table chat" and tide.participants == ["User", "Assistant"]
    assert [(m.speaker, m.kind, m.text) for m in tide.messages] == [
        ("Preface", "context", "## Conversation"), ("User", "message", "Create a tide table."),
        ("Assistant", "message", "Here is a tide table."), ("User", "message", "Thanks.")]


def test_an_exports_front_matter_gives_title_date_and_fields_and_its_rules_between_messages_go():
    [chart] = read("chat-exports/tide-chart.md").conversations
    assert chart.title == "Tide chart" and chart.started.isoformat() == "2024-03-02T00:00:00"
    assert chart.metadata["Model"] == "gpt-4o"
    assert [(m.speaker, m.text) for m in chart.messages] == [
        ("User", "Chart for tomorrow?"), ("ChatGPT", "High water at 06:12."), ("User", "Thanks.")]


def test_list_items_and_labels_a_model_wrote_under_exporter_headings_stay_in_its_message(tmp_path):
    chat = tmp_path / "parts.md"
    chat.write_text("#### You:\nName the parts.\n\n#### ChatGPT:\n- Pier: boats tie up.\n- Lamp: the light.\n"
                    "Note: twice.\n\n#### You:\nShorter?\n\n#### ChatGPT:\n- Pier: boats.\n- Lamp: light.\n"
                    "Summary: done.\nSummary: really.\n", "utf-8")
    [log] = read_file(chat, "parts.md").conversations
    assert [m.speaker for m in log.messages] == ["You", "ChatGPT", "You", "ChatGPT"]
    assert log.messages[3].text == "- Pier: boats.\n- Lamp: light.\nSummary: done.\nSummary: really."
    plain = tmp_path / "plain.txt"  # without headings too, a list item is never a speaker
    plain.write_text("Ada: Parts?\nEcho: - Pier: boats.\n- Pier: again.\nAda: Ok.\nEcho: Done.\n", "utf-8")
    [log] = read_file(plain, "plain.txt").conversations
    assert [m.speaker for m in log.messages] == ["Ada", "Echo", "Ada", "Echo"]


def test_a_chat_copied_from_geminis_page_is_split_at_its_you_said_lines():
    """Gemini's page copied whole: 'You said' / 'Gemini said' alone on a line head the messages, so the
    'Phase 1:' lines and the '### Usage:' heading the model wrote stay in its answer (they were seats of a
    run and speakers before); the page's first line says where it was copied from; the title is the
    first question."""
    [chat] = read("chat-exports/copied-gemini.txt").conversations
    assert [m.speaker for m in chat.messages] == ["You", "Gemini", "You", "Gemini"]
    assert chat.participants == ["You", "Gemini"]
    assert chat.title == "How long does a lighthouse lamp burn on one fill of oil?"
    assert chat.metadata["Source format"] == "plain text (Conversation with Gemini)"
    assert chat.messages[1].text.startswith("It depends on the lamp")
    assert "Phase 1: Dusk\nThe wick is trimmed" in chat.messages[1].text
    assert chat.messages[1].text.endswith("### Usage:\nTrim the wick every four hours.")
    assert chat.messages[3].text.endswith("Phase 1: Dusk\nAs in summer, an hour earlier.")


def test_a_chat_copied_from_chatgpts_page_from_the_middle_of_its_first_question():
    """'You said:' / 'ChatGPT said:' as ChatGPT's page gives them; the text before the first answer is the
    question whose 'You said:' was not copied."""
    [chat] = read("chat-exports/copied-chatgpt.txt").conversations
    assert [(m.speaker, m.kind) for m in chat.messages] == [("You", "message"), ("ChatGPT", "message")] * 2
    assert chat.title == "the tide tables for the north pier, from the old almanac please."
    assert chat.messages[1].text == ("Here is how to read them.\nStep 1: find the high-water column.\n"
                                     "Step 2: add the harbour correction.")
    assert chat.messages[3].text.endswith("Note: it is larger at spring tides.")
    assert chat.metadata["Source format"] == "plain text"


def test_a_chat_copied_from_chatgpts_page_kept_as_markdown_headings():
    """'## You said:' / '## ChatGPT said:', as a copy kept in Markdown heads them: they were the speakers
    'You said' and 'ChatGPT said', and the 'Layer 1:' lines of an answer were speakers of their own
    where no 'You said' was read. The introduction before the first question is context."""
    [chat] = read("chat-exports/ferry-timetable-copied.md").conversations
    assert [(m.speaker, m.kind) for m in chat.messages] == [("Preface", "context")] + [
        ("You", "message"), ("ChatGPT", "message")] * 2
    assert chat.title == "The winter timetable drops the 07:10 crossing. Which sailings would you keep…"
    assert "Layer 2: The midday pair" in chat.messages[2].text and "Purpose: keep" in chat.messages[2].text
    assert chat.messages[4].text.endswith("Layer 1: still the early boat, if the bar can be crossed.")


def test_a_copy_kept_by_hand_names_the_person_by_role_beside_chatgpt_said():
    """A hand-kept copy labels the question 'user:' and the answer 'ChatGPT said:': one exchange is a
    chat, and the answer's 'Compliance:' line is its text (it was the only speaker, and the title)."""
    [chat] = read("chat-exports/lamp-review-copy.txt").conversations
    assert [(m.speaker, m.kind) for m in chat.messages] == [("Preface", "context"), ("user", "message"),
                                                             ("ChatGPT", "message")]
    assert chat.title.startswith("Please look over the lamp-room checklist")
    assert chat.messages[2].text.rstrip().endswith("Compliance: the log entry is the last step, which matches "
                                                   "the keeper's rules.")


def test_an_archive_of_many_chats_in_one_file_is_a_conversation_each():
    """'CONVERSATION: <title>' between rules starts each chat, its 'Date:' and 'Model:' lines under it,
    and 'HUMAN:' / 'CLAUDE:' framed by rules head the messages. Before, the whole file was one chat of
    'CONVERSATION', 'Date', 'Model' and every 'Note:' the answers held."""
    first, second = read("chat-exports/harbour-chat-archive.txt").conversations
    assert (first.title, second.title) == ("Tide tables for the north pier", "Lamp oil")
    assert (first.started, second.started) == (datetime(2025, 10, 9), datetime(2025, 10, 10))
    assert [m.speaker for m in first.messages] == ["Preface", "HUMAN", "CLAUDE", "HUMAN"]
    assert first.messages[0].text.splitlines()[1].strip("║ ") == "HARBOUR CHAT ARCHIVE"  # the archive's own heading
    assert first.messages[2].text.endswith("Note: the correction applies.")
    assert [m.speaker for m in second.messages] == ["HUMAN", "CLAUDE"] and second.metadata["Model"] == "claude-3-opus-20240229"


def test_documents_are_notes_not_chats_or_broken_transcripts():
    """A handbook of numbered sections between rules ('### 1. The Lamp' after a '---') looked like a
    transcript without its title: an error, and the build failed. A note whose lines lead into lists
    ('In a lighthouse lens:', 'This arrangement is:') was a chat of those phrases."""
    for name in ("notes/keeper-handbook.txt", "notes/lens-notes.txt", "notes/session-report.md"):
        found = read(name)
        assert found.conversations == [] and [d.level for d in found.diagnostics] == ["note"], name
        assert found.diagnostics[0].message.startswith("not a transcript"), name


def test_a_changelogs_sections_are_no_speaker(tmp_path):
    """'Added:' before each list of a session's notes (a changelog's words) made a chat of one speaker."""
    notes = tmp_path / "session.md"
    notes.write_text("# Session: planning\n\n**Date:** 2026-02-05\n\n## Steps\n\n"
                     + "".join(f"### Step {n}\n\nWe set up part {n}.\n\nAdded:\n- file_{n}.md\n\n" for n in range(4)),
                     "utf-8")
    assert read_file(notes, "session.md").conversations == []


def test_a_numbered_list_the_assistant_wrote_is_no_run_of_seats(tmp_path):
    """'Step 1:' looks like a run's seat ('Claude 1:'), but where 'User:' and 'Assistant:' come more often
    it is the assistant's list: before, 'Step 1' and 'Step 2' were the only speakers."""
    chat = tmp_path / "lamp.txt"
    chat.write_text("User: How do I light the lamp?\nAssistant: Like this.\nStep 1: trim the wick.\n"
                    "Step 2: open the valve.\nUser: And then?\nAssistant: Strike the match.\n"
                    "Step 1: again, trim first.\nUser: Thanks.\n", "utf-8")
    [log] = read_file(chat, "lamp.txt").conversations
    assert [m.speaker for m in log.messages] == ["User", "Assistant", "User", "Assistant", "User"]
    assert log.messages[1].text == "Like this.\nStep 1: trim the wick.\nStep 2: open the valve."
    run = tmp_path / "run.txt"  # a run's seats speak most: they still start the messages
    run.write_text("Claude 1: Hello.\nOOC: aside\nClaude 2: Hi.\nClaude 1: Tides?\nOOC: aside\n"
                   "Claude 2: High at six.\n", "utf-8")
    [log] = read_file(run, "run.txt").conversations
    assert [m.speaker for m in log.messages] == ["Claude 1", "Claude 2", "Claude 1", "Claude 2"]


def test_said_lines_head_messages_only_beside_a_you_said(tmp_path):
    """A story's 'Gemini said' line, with no 'You said' anywhere, is the story's; and a pronoun never speaks."""
    story = tmp_path / "story.txt"
    story.write_text("Ada: The radio crackled.\nGemini said\nnothing for an hour.\nEcho: Then?\n"
                     "Ada: Gemini said\nEcho: He said\nAda: Out.\n", "utf-8")
    [log] = read_file(story, "story.txt").conversations
    assert [m.speaker for m in log.messages] == ["Ada", "Echo", "Ada", "Echo", "Ada"]
    assert log.messages[0].text == "The radio crackled.\nGemini said\nnothing for an hour."
    told = tmp_path / "told.txt"
    told.write_text("You said\nWhere were you?\n\nHe said\nAt the pier.\n\nYou said\nAll night?\n\n"
                    "He said\nYes.\n", "utf-8")
    assert read_file(told, "told.txt").conversations == []


def test_text_before_the_first_speaker_is_kept_as_context(tmp_path):
    log = tmp_path / "night-watch.txt"
    log.write_text("Recorded at the north pier, 3 a.m.\nWind from the east.\n\nAda: Lamp lit.\nEcho: Seen.\n"
                   "Ada: Good.\nEcho: Out.\n", "utf-8")
    [chat] = read_file(log, "night-watch.txt").conversations
    first = chat.messages[0]
    assert (first.speaker, first.kind) == ("Preface", "context")
    assert first.text == "Recorded at the north pier, 3 a.m.\nWind from the east."
    assert [m.speaker for m in chat.messages[1:]] == ["Ada", "Echo", "Ada", "Echo"]
    assert chat.participants == ["Ada", "Echo"]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    shutil.copytree(ARCHIVES, tmp_path / "content")
    return tmp_path


def test_the_whole_archive_builds_clean_with_every_title_distinct(archive):
    config = load_config(None, archive)
    result = build(config)
    assert not result.failed(strict=True), [str(d) for d in result.diagnostics]
    assert result.conversations == 28
    site = config.output_path
    titles = [c.read_text("utf-8").split("<title>")[1].split("</title>")[0]
              for c in (site / "c").glob("*/index.html")]
    assert len(set(titles)) == len(titles) == 28
    assert (site / "c/2025-03-01-design-a-tide-gauge-network/index.html").is_file()
    assert (site / "tags/dreamsim3/index.html").is_file()
    assert (site / "c/2024-11-28-claude-3-opus-1-claude-3-opus-2-xenoweb-theater-1-2106/index.html").is_file()
    notes = sorted(d.message.split(":")[0] for d in result.notes)
    # The debates' README and conversation.md beside each session.json: a summary, and a copy of the
    # session in Markdown that no reader claims (read, it would be each debate a second time); and a
    # handbook, a note and a session report, each a document.
    assert notes == ["an empty log (the run wrote no messages); skipped"] + ["not a transcript"] * 9


def test_excluded_files_are_not_read(archive):
    (archive / "antiphon.toml").write_text('exclude = ["**/*_meta.jsonl", "debates/**/*.md", "notes/"]\n', "utf-8")
    (archive / "content/.antiphonignore").write_text("*.media_state.json\n", "utf-8")
    result = build(load_config(None, archive))
    assert not any(d.message.startswith("not a transcript") for d in result.notes)


def test_two_speakers_of_one_conversation_never_share_a_colour(project):
    from tests.conftest import transcript
    # Both names fall on the same palette colour by hash; on this page they must differ.
    (project / "content/a.md").write_text(transcript(title="Claude 3 Opus (2) ↔ GPT-5 (2)", messages=(
        ("Claude 3 Opus (2)", "One."), ("GPT-5 (2)", "Two."))), "utf-8")
    config = load_config(None, project)
    build(config)
    page = (config.output_path / "c/claude-3-opus-2-gpt-5-2/index.html").read_text("utf-8")
    import re
    classes = re.findall(r'class="msg (sp-\d+)', page)
    assert len(classes) == 2 and classes[0] != classes[1]


@given(st.lists(st.sampled_from(["🌊", "⛵", " ", "\n", "```", "═", "[END]", "SUMMIT", "e x p", "²", "_"]), max_size=1200)
       .map("".join))
@settings(max_examples=300, deadline=None)
def test_an_opening_keeps_a_piece_of_its_message_with_words_where_it_has_any(text):
    """A message's first characters, or, where drawings fill them, as many from the line its words
    begin on: a piece of the message as written, no longer than an opening keeps, with words in it
    whenever the message has any (a card's excerpt is made from it)."""
    from generator.model import OPENING_CHARS, _opening_text, has_words
    kept = _opening_text(text)
    assert kept in text and len(kept) <= OPENING_CHARS
    assert kept == text[:OPENING_CHARS] or not has_words(text[:OPENING_CHARS])
    assert has_words(kept) == has_words(text)


_WORDS = st.sampled_from(["hi", "ok", "Check", "the", "tide", "table", "🌊", "*", "[END]", "—", "Thursday"])
_TEXTS = st.lists(_WORDS, max_size=6).map(" ".join)


@given(texts=st.lists(_TEXTS, min_size=1, max_size=14), title=_TEXTS, asides=st.lists(st.booleans(), max_size=14))
@settings(max_examples=300, deadline=None)
def test_a_cards_opening_starts_at_the_start_or_at_the_request_that_titled_a_session(texts, title, asides):
    """The opening is a run of the messages in order (tool traffic left out). It starts later only when
    the first message with words is too short to name anything and a later one begins with the title,
    as a session titled by its first telling request ('hi', a greeting, then the request)."""
    from generator.model import TELLING_WORDS, Message, begins_with_title, has_words
    kinds = [("tool_call" if i < len(asides) and asides[i] else "message") for i in range(len(texts))]
    messages = [Message(i + 1, "A" if i % 2 else "B", text, kind=kind)
                for i, (text, kind) in enumerate(zip(texts, kinds))]
    opening = Conversation(title=title, messages=messages, source=Path("x.md")).opening
    said = [m.text for m in messages if m.kind == "message"]
    starts = [i for i in range(len(said)) if said[i:i + len(opening)] == list(opening)]
    assert bool(opening) == bool(said) and (starts or not said), (said, opening)
    if not said:
        return
    worded = [i for i, text in enumerate(said) if any(ch.isalnum() for ch in text.replace("[END]", ""))]
    start = starts[0]
    if start > 0:
        assert worded and worded[0] < start and len(said[worded[0]].split()) < TELLING_WORDS and has_words(title)
        assert begins_with_title(said[start], title) and not begins_with_title(said[worded[0]], title)
    elif (worded and len(said[worded[0]].split()) < TELLING_WORDS and not begins_with_title(said[worded[0]], title)
          and has_words(title)):  # a title of no words ('🌊') is no request's
        assert not any(begins_with_title(text, title) for text in said[worded[0] + 1:10])
