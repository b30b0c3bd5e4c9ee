"""Secrets and personal data in transcripts: found, reported, and redacted before anything is published.

Every source is scanned as it is read, as text (so a finding names the file's own line), with the
rules of ``rules.toml``. A finding is a warning, ``possible Anthropic API key (sk-ant-api03-…)``:
``--strict``, and so the generated workflow, fails on it, and ``antiphon deploy`` refuses to publish
it. The ``[redact]`` table of ``antiphon.toml`` says what to replace (literal strings, patterns, or
every finding), which rules are on, and what to allow. Replacing happens to the text before a reader
parses it: the page, ``conversation.json``, the source copy and the search index are all made from
the redacted text, and the source file stays as it was written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from generator.diagnostics import Diagnostic, note, warning

RULES_FILE = Path(__file__).with_name("rules.toml")
REPLACEMENT = "[redacted]"
# Stand-ins that documentation uses for keys: not findings.
_PLACEHOLDER = re.compile(r"(?i)x{6}|\*{4}|\.{3}|<[^>]*>|\$\{|\{\{|your|example|placeholder|dummy|redacted|(.)\1{7}")
# Keys the providers' documentation prints; never reported.
DOCUMENTED_EXAMPLES = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
# Words joined by dots, dashes or underscores: code (base64.urlsafe_b64encode) or a name (fishing_trip_1997).
_WORDS = re.compile(r"[a-z]{4,}[._-]|[._-][a-z]{4,}")
_ENTROPY_BITS = 3.5  # per character: random keys score 4 to 6, words and identifiers lower
_BEFORE_CHARS = 64


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    kind: str  # "secret" or "personal"
    triggers: tuple[str, ...]
    pattern: re.Pattern
    shown: int
    checks: tuple[str, ...]
    before: re.Pattern | None = None  # what must come just before the pattern's match (see rules.toml)

    def applies(self, text: str) -> bool:
        return not self.triggers or any(trigger in text for trigger in self.triggers)

    def matches(self, text: str):
        """(start, end, context) of each secret this rule finds in ``text``; ``context`` is where the
        match begins (before the secret, for a secret inside a URL or path)."""
        has_group = "secret" in self.pattern.groupindex
        for match in self.pattern.finditer(text):
            begin = match.start()
            if self.before is not None:
                window = max(0, begin - _BEFORE_CHARS)
                found = self.before.search(text, window, begin)
                if found is None:
                    continue
                begin = found.start()
            start, end = match.span("secret") if has_group else (begin, match.end())
            if self._passes(text[start:end]):
                yield start, end, begin

    def _passes(self, secret: str) -> bool:
        if "mixed" in self.checks and not (re.search(r"\d", secret) and re.search(r"[A-Za-z]", secret)):
            return False
        if "entropy" in self.checks and entropy(secret) < _ENTROPY_BITS:
            return False
        if "not-words" in self.checks and _WORDS.search(secret):
            return False
        return not ("not-placeholder" in self.checks and _PLACEHOLDER.search(secret))

    def masked(self, context: str, secret: str) -> str:
        """What a report shows: the context, then no more than the first characters of the secret."""
        return context[-40:] + secret[:min(self.shown, len(secret) // 2)] + "…"


def entropy(text: str) -> float:
    """Shannon entropy, bits per character."""
    counts = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    with RULES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(Rule(r["id"], r["name"], r["kind"], tuple(r["triggers"]), re.compile(r["pattern"]), r["shown"],
                      tuple(r["checks"]), re.compile(r["before"]) if "before" in r else None) for r in data["rule"])


def rule_ids(kind: str | None = None) -> list[str]:
    return [rule.id for rule in all_rules() if kind is None or rule.kind == kind]


class Finding(NamedTuple):
    line: int
    rule: Rule
    masked: str  # what reports show of it


_FINDING = re.compile(r"possible (.+?) \(")


def is_finding(diagnostic: Diagnostic) -> bool:
    """Is this problem a possible secret (or personal data) left in the site?"""
    found = _FINDING.match(diagnostic.message)
    return diagnostic.level == "warning" and found is not None and found.group(1) in {r.name for r in all_rules()}


@dataclass(frozen=True)
class Redaction:
    """What to look for and what to replace: the ``[redact]`` table of antiphon.toml, compiled."""
    rules: tuple[Rule, ...]
    literals: tuple[tuple[str, str], ...] = ()  # (text, replacement)
    patterns: tuple[tuple[re.Pattern, str], ...] = ()  # (pattern, replacement)
    allowed: frozenset[str] = frozenset(DOCUMENTED_EXAMPLES)
    allowed_patterns: tuple[re.Pattern, ...] = ()
    mask_found: bool = False  # replace every finding too, not only report it

    @classmethod
    def of(cls, table: dict) -> "Redaction":
        """From a validated ``[redact]`` table (see config.py); ``{}`` gives the defaults."""
        detectors = table.get("detectors", ["secrets"])
        wanted = {rule.id for rule in all_rules()
                  if ("secrets" in detectors and rule.kind == "secret")
                  or ("personal" in detectors and rule.kind == "personal") or rule.id in detectors}
        wanted -= set(table.get("off", []))
        return cls(
            rules=tuple(rule for rule in all_rules() if rule.id in wanted),
            literals=tuple((text, table.get("replacement", REPLACEMENT)) for text in table.get("strings", [])),
            patterns=tuple((re.compile(pattern), replacement) for pattern, replacement in table.get("patterns", {}).items()),
            allowed=frozenset(DOCUMENTED_EXAMPLES) | frozenset(table.get("allow", [])),
            allowed_patterns=tuple(re.compile(pattern) for pattern in table.get("allow_patterns", [])),
            mask_found=table.get("mask_found", False),
        )

    def digest(self) -> str:
        """Changes whenever the same source could be redacted or reported differently."""
        parts = [[r.id for r in self.rules], self.literals, [(p.pattern, r) for p, r in self.patterns],
                 sorted(self.allowed), [p.pattern for p in self.allowed_patterns], self.mask_found]
        return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:16]

    def apply(self, text: str, path: str, json_text: bool = False) -> tuple[str, list[Diagnostic]]:
        """``text`` with the configured replacements made, and a warning for each finding left in it
        (or, with ``mask_found``, a note for each finding replaced). In JSON text, replacements are
        written as JSON string content."""
        text = self._replace(text, json_text)
        spans = self._spans(text)
        if not spans:
            return text, []
        findings = self._findings(text, spans)
        if self.mask_found:
            text = self._mask(text, spans, json_text)
            return text, [note(path, line, f"{rule.name} redacted") for line, rule, _ in findings]
        return text, [warning(path, line, f"possible {rule.name} ({shown}); redact it or allow it in [redact] "
                                          "(antiphon.toml)") for line, rule, shown in findings]

    def redacted_copy(self, data: bytes) -> bytes:
        """A source file's bytes as offered for download: redacted as its conversations were."""
        if not (self.literals or self.patterns or self.mask_found):
            return data  # nothing is replaced: no need to scan the file again
        text = data.decode("utf-8", "surrogateescape")
        redacted = self.apply(text, "")[0]
        return data if redacted == text else redacted.encode("utf-8", "surrogateescape")

    def findings(self, text: str) -> list[Finding]:
        return self._findings(text, self._spans(text))

    @staticmethod
    def _findings(text: str, spans: list) -> list[Finding]:
        found = []
        for start, end, rule, context in spans:
            line = text.count("\n", 0, start) + 1
            found.append(Finding(line, rule, rule.masked(text[context:start], text[start:end])))
        return found

    def _spans(self, text: str) -> list[tuple[int, int, Rule, int]]:
        """(start, end, rule, context) of each secret, in order, none overlapping."""
        spans = []
        for rule in self.rules:
            if rule.applies(text):
                spans += [(start, end, rule, context) for start, end, context in rule.matches(text)
                          if not self._allowed(text[start:end])]
        # One finding per place: where two rules find the same secret, the one listed first in
        # rules.toml (the specific before the general, secrets before personal data).
        order = {rule.id: number for number, rule in enumerate(all_rules())}
        spans.sort(key=lambda span: (span[0], order[span[2].id], -span[1]))
        kept, reach = [], -1
        for span in spans:
            if span[0] >= reach:
                kept.append(span)
                reach = span[1]
        return kept

    def _allowed(self, secret: str) -> bool:
        return secret in self.allowed or any(p.search(secret) for p in self.allowed_patterns)

    def replaced(self, text: str, json_text: bool = False) -> str:
        """``text`` with the configured strings and patterns replaced (findings are left as they are)."""
        return self._replace(text, json_text)

    def _replace(self, text: str, json_text: bool) -> str:
        for literal, replacement in self.literals:
            if literal in text:
                text = text.replace(literal, _as_json(replacement) if json_text else replacement)
        for pattern, replacement in self.patterns:
            text = pattern.sub(lambda match: _as_json(match.expand(replacement)) if json_text
                               else match.expand(replacement), text)
        return text

    @staticmethod
    def _mask(text: str, spans: list, json_text: bool) -> str:
        pieces, position = [], 0
        for start, end, rule, _ in spans:
            replacement = f"[redacted {rule.name}]"
            pieces += [text[position:start], _as_json(replacement) if json_text else replacement]
            position = end
        return "".join(pieces) + text[position:]

    @property
    def active(self) -> bool:
        return bool(self.rules or self.literals or self.patterns)


def _as_json(text: str) -> str:
    """``text`` as it is written inside a JSON string."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


NONE = Redaction(rules=())
