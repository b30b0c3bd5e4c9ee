"""The secrets gate: every rule finds its kind and masks it in reports, redaction reaches every
output (pages, conversation.json, the source copy, the search index), and ordinary transcripts
raise no alarm. Deploy's refusal is in test_new_and_deploy.py."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import ConfigError, load_config
from generator.readers import read_file
from generator.secrets import Redaction, all_rules, is_finding, rule_ids
from generator.site import build
from tests.conftest import FIXTURES, ROOT, transcript
from tests.test_cli import antiphon

EVERY_RULE = FIXTURES / "secrets/every-rule.md"
EVERYTHING = Redaction.of({"detectors": ["secrets", "personal"]})


def _example(rule_id: str) -> str:
    """The made-up value the fixture holds for a rule (on the line '<rule id>: <value>')."""
    text = EVERY_RULE.read_text("utf-8")
    if rule_id == "private-key":
        return re.search(r"-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----", text, re.S).group()
    return re.search(rf"^{re.escape(rule_id)}: (.+)$", text, re.M).group(1)


@pytest.mark.parametrize("rule_id", rule_ids())
def test_each_rule_finds_its_example_and_reports_it_masked(rule_id):
    text = EVERY_RULE.read_text("utf-8")
    example = _example(rule_id)
    found = [f for f in EVERYTHING.findings(text) if f.rule.id == rule_id]
    assert len(found) == 1, [f for f in EVERYTHING.findings(text)]
    line = text[:text.index(example)].count("\n") + 1
    assert found[0].line == line
    _, problems = EVERYTHING.apply(text, "every-rule.md")
    report = "\n".join(str(p) for p in problems)
    assert f"every-rule.md:{line}: warning: possible {found[0].rule.name} (" in report
    secret_part = example.split(":")[-1].split("@")[0].strip('" ')[-12:]  # the end of the secret itself
    assert secret_part not in report
    for context in ("and {}.", "({})", "{}"):  # found wherever it stands
        assert rule_id in {f.rule.id for f in EVERYTHING.findings(context.format(example))}, context


@pytest.mark.parametrize("rule_id", rule_ids())
def test_each_rule_is_redacted_when_findings_are_masked(rule_id):
    text = EVERY_RULE.read_text("utf-8")
    masked, notes = Redaction.of({"detectors": ["secrets", "personal"], "mask_found": True}).apply(text, "x.md")
    example = _example(rule_id)
    assert example not in masked
    assert all(n.level == "note" and not is_finding(n) for n in notes) and len(notes) == len(all_rules())


def test_personal_data_rules_are_off_unless_asked_for():
    text = EVERY_RULE.read_text("utf-8")
    default = {f.rule.id for f in Redaction.of({}).findings(text)}
    assert default == set(rule_ids("secret"))
    only_mail = Redaction.of({"detectors": ["secrets", "email"], "off": ["jwt"]})
    assert {f.rule.id for f in only_mail.findings(text)} == set(rule_ids("secret")) - {"jwt"} | {"email"}


@pytest.mark.parametrize("value", [
    "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  # documentation stand-ins
    "sk-proj-<your-key-here-and-some-more-text-to-fill>",
    "AKIAIOSFODNN7EXAMPLE",
    "the task-oriented risk-averse desk-bound approach",
    'key = base64.urlsafe_b64encode(kdf.derive(password))',  # code, not a value
    '/unlock memory_key="fishing_trip_1997"',
    "password: correcthorse",
    "Tokens: 1234567890123456",
])
def test_no_alarm_for_what_only_looks_like_a_secret(value):
    assert Redaction.of({}).findings(f"Some text.\n{value}\nMore text.") == []


def test_no_alarm_on_the_sample_content_and_the_fixtures():
    folders = [ROOT / "content", FIXTURES / "site", FIXTURES / "formats", FIXTURES / "archives", FIXTURES / "messages"]
    scanned = 0
    for path in (p for folder in folders for p in folder.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        assert Redaction.of({}).findings(text) == [], path
        scanned += 1
    assert scanned > 30


def test_allowed_values_and_patterns_are_not_reported():
    key = _example("github-token")
    text = f"a {key} and {_example('stripe-key')}"
    assert len(Redaction.of({}).findings(text)) == 2
    assert [f.rule.id for f in Redaction.of({"allow": [key]}).findings(text)] == ["stripe-key"]
    assert Redaction.of({"allow_patterns": ["^(ghp|sk)_"]}).findings(text) == []


def test_strings_and_patterns_are_replaced_before_reading_in_json_too(tmp_path):
    export = [{"title": "Notes from ada-laptop", "messages": [
        {"role": "user", "content": "I am on ada-laptop, see \"ada-laptop\" logs"},
        {"role": "assistant", "content": "Order 12345-678 shipped."}]}]
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(export), "utf-8")
    redaction = Redaction.of({"strings": ["ada-laptop"], "replacement": "<host \"x\">",
                              "patterns": {r"\b\d{5}-\d{3}\b": "[order]"}})
    result = read_file(path, "chat.json", redaction=redaction)
    conversation = result.conversations[0]
    texts = [m.text for m in conversation.messages]
    assert texts == ['I am on <host "x">, see "<host "x">" logs', "Order [order] shipped."]
    assert "ada-laptop" not in conversation.title


def test_a_secret_reaches_no_output_file_once_redacted(tmp_path):
    project = tmp_path
    (project / "content").mkdir()
    shutil.copy(EVERY_RULE, project / "content/every-rule.md")
    (project / "content/other.md").write_text(transcript(messages=(("Alice", "Nothing to hide."), ("Bob", "No."))),
                                              "utf-8")
    (project / "antiphon.toml").write_text('downloads = ["source", "json"]\n[redact]\ndetectors = ["secrets", '
                                           '"personal"]\nmask_found = true\n', "utf-8")
    result = build(load_config(None, project))
    assert not result.failed() and not [d for d in result.diagnostics if is_finding(d)]
    assert sum(1 for d in result.diagnostics if d.message.endswith(" redacted")) == len(all_rules())
    site = project / "site"
    outputs = {path: _readable(path) for path in site.rglob("*") if path.is_file()}
    assert any(p.name == "2025-06-01-keeper-auditor.md" for p in outputs)  # the source copy
    assert any(p.name == "conversation.json" for p in outputs)
    assert any("pagefind" in p.parts for p in outputs)
    searched = "\n".join(outputs.values())
    assert "[redacted Anthropic API key]" in searched
    for rule_id in rule_ids():
        secret = _example(rule_id).split("-----")[2] if rule_id == "private-key" else _example(rule_id)
        assert secret not in searched, rule_id
    assert "Qm7vT2pLx9Wk4RbN8yHc3Jd6" in EVERY_RULE.read_text("utf-8")  # the source stays as written


def _readable(path: Path) -> str:
    """A file's text; Pagefind's index files are gzip, some after a short signature."""
    data = path.read_bytes()
    start = data.find(b"\x1f\x8b")
    if start != -1:
        try:
            data = gzip.decompress(data[start:])
        except (OSError, EOFError):
            pass
    return data.decode("utf-8", "replace")


def test_the_build_reports_a_secret_left_in_and_strict_fails(project):
    (project / "content/a.md").write_text(transcript(messages=(("Alice", f"use {_example('github-token')}"),)), "utf-8")
    run = antiphon("build", "--no-search", cwd=project)
    assert run.returncode == 0 and "content/a.md:7: warning: possible GitHub token (ghp_Zx8C…)" in run.stderr
    assert antiphon("build", "--no-search", "--strict", cwd=project).returncode == 1
    check = antiphon("check", "--secrets", cwd=project)
    assert check.returncode == 1 and "1 possible secret in 1 file" in check.stderr
    assert "content/a.md:7: warning: possible GitHub token" in check.stdout


def test_redact_options_are_checked(project):
    (project / "antiphon.toml").write_text('[redact]\ndetectors = ["secrets", "emails"]\npatterns = { "(x" = "y" }\n',
                                           "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(None, project)
    assert "'redact.detectors' has 'emails', which is no detector" in str(raised.value)
    assert "'(x' is not a valid regular expression" in str(raised.value)


def test_scanning_is_linear_on_hostile_shapes():
    import time
    shapes = ["key=" * 20_000, "sk-" + "a-" * 40_000, "@" * 60_000, "a@b." * 20_000, "://" + ":" * 60_000,
              "-----BEGIN PRIVATE KEY-----" + "A" * 60_000, "1.2." * 20_000, "/home/" * 10_000]
    for shape in shapes:
        started = time.perf_counter()
        EVERYTHING.findings(shape)
        assert time.perf_counter() - started < 2, shape[:20]


@pytest.mark.parametrize("related", [0, 5])
def test_a_large_parallel_build_reports_and_redacts_as_a_small_one(project, related):
    """A cold build of many files (reading native headers first without related conversations: sketches)
    reports and redacts as a small one."""
    from generator.workers import PARALLEL_MINIMUM
    key = _example("github-token")
    for number in range(PARALLEL_MINIMUM + 8):
        text = f"the lamp number {number} is lit" + (f", and the key is {key}" if number == 5 else "")
        (project / "content" / f"t{number:03d}.md").write_text(
            transcript(title=f"Lamp {number} ↔ Echo", header="**Started:** 2025-01-02 03:04:05",
                       messages=((f"Lamp {number}", text), ("Echo", "Yes."))), "utf-8")
    (project / "antiphon.toml").write_text(f"search = false\nrelated = {related}\n", "utf-8")
    result = build(load_config(None, project), jobs=2)
    assert [(d.path, d.line) for d in result.diagnostics if is_finding(d)] == [("content/t005.md", 9)]
    (project / "antiphon.toml").write_text(f"search = false\nrelated = {related}\n[redact]\nmask_found = true\n", "utf-8")
    shutil.rmtree(project / "site")
    result = build(load_config(None, project), jobs=2)
    assert not [d for d in result.diagnostics if is_finding(d)]
    published = "".join(p.read_text("utf-8") for p in (project / "site").rglob("*") if p.suffix in (".html", ".md"))
    assert key not in published and "[redacted GitHub token]" in published


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("sk-antapi03_ghpAKIAeyJ.:=@/ \n\"'\\xX0123456789")) | st.characters(),
               max_size=300))
def test_any_text_is_scanned_without_failing_and_masking_leaves_no_finding(text):
    masking = Redaction.of({"detectors": ["secrets", "personal"], "mask_found": True})
    masked, notes = masking.apply(text, "x.md")
    assert len(notes) == len(EVERYTHING.findings(text))
    assert (masked != text) == bool(notes)  # every finding is replaced, and nothing else changes
