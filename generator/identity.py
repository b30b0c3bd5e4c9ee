"""Who is who, and what each conversation is called: the site's names applied to what was read.

Readers name speakers from their source (seats mapped to models: readers/runs.py).
This step, run on every conversation right after it is read, applies the site's
own choices from ``antiphon.toml``:

- the ``[speakers]`` table: many labels (a model id, a short name, an old spelling)
  for one speaker, who then has one page and one colour;
- titles: a conversation whose source names only its participants (every run of
  a runner is 'Claude 3 Opus ↔ Claude 3.5 Sonnet') gets a title that tells it apart,
  from its template, seed prompt, variant and time (``title_template``);
- tags from structure: the template or scenario a run names, and a sub-agent's session (``auto_tags``).

A pure function of the conversation and the config: every build path, ``check``
and ``import`` apply it the same way.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from generator.config import Config
from generator.model import Conversation
from generator.readers.runs import model_name
from generator.urls import bounded, slugify

ARROW = " ↔ "
DEFAULT_TITLE = "{participants} · {template} · {topic} · {variant} · {revision} · {seed} · {date} {time}"
SEED_WORDS = 7
_SEAT_SUFFIX = re.compile(r"^(?P<base>.*\S) (?P<seat>\([^()]{1,12}\))$")
SUB_AGENT = "sub-agent"  # the tag of a sub-agent's own session (Claude Code's agent-*.jsonl)
# Metadata that marks a conversation as one run of many (its title then says which).
_RUN_FIELDS = ("Template", "Seed prompt", "Variant", "Revision", "Topic")


@dataclass(frozen=True)
class Identity:
    names: dict[str, str]  # casefolded label, alias or model id -> the name shown
    title_template: str
    auto_tags: bool

    @classmethod
    def of(cls, config: Config) -> "Identity":
        names: dict[str, str] = {}
        for key, entry in config.speakers.items():
            name = str(entry.get("name") or key)
            for label in (key, model_name(key), name, *entry.get("aliases", [])):
                names[label.casefold()] = name
        return cls(names, config.title_template, config.auto_tags)

    def apply(self, conversation: Conversation) -> Conversation:
        """Rename speakers, title and tag ``conversation`` (in place; returned for convenience)."""
        generic = _generic_title(conversation)
        if self.names:
            for message in conversation.messages:
                shown = self.name(message.speaker)
                if shown != message.speaker:
                    message.label = message.label or message.speaker
                    message.speaker = shown
            conversation.participants = list(dict.fromkeys(self.name(p) for p in conversation.participants))
            conversation.__dict__.pop("speakers", None)  # a cached_property made before the renaming
        if generic and (self.title_template or any(key in conversation.metadata for key in _RUN_FIELDS)):
            conversation.title, conversation.slug_base = self._derived(conversation)
        elif generic and self.names:
            conversation.title = ARROW.join(_named(conversation)) or conversation.title
        if self.auto_tags:
            template = conversation.metadata.get("Template", "").replace("_", " ").strip()
            structural = [template, SUB_AGENT if conversation.metadata.get("Agent") else ""]
            conversation.tags = list(dict.fromkeys([*conversation.tags, *(tag for tag in structural if tag)]))
        return conversation

    def name(self, speaker: str) -> str:
        """The shown name of a speaker: from the table (a seat suffix such as ' (1)' kept), else as it is."""
        found = self.names.get(speaker.casefold())
        if found is not None:
            return found
        seat = _SEAT_SUFFIX.match(speaker)
        if seat:
            base = self.names.get(seat.group("base").casefold())
            if base is not None:
                return f"{base} {seat.group('seat')}"
        return speaker

    def _derived(self, conversation: Conversation) -> tuple[str, str]:
        """A title from the conversation's fields, and the slug that goes with it."""
        fields = title_fields(conversation)
        title = fill(self.title_template or DEFAULT_TITLE, fields)
        rest = fill(self.title_template or DEFAULT_TITLE, {**fields, "date": "", "time": "", "participants": ""})
        short = "-".join(slugify(name) for name in _named(conversation)[:3])
        clock = fields["time"].replace(":", "")
        slug = "-".join(part for part in (fields["date"], short, slugify(rest, fallback=""), clock) if part)
        return title, bounded(slug)


def _generic_title(conversation: Conversation) -> bool:
    """Does the title only name the participants (or nothing)?"""
    if "Title" in conversation.metadata or "Slug" in conversation.metadata:
        return False
    title = conversation.title.strip()
    return not title or title == ARROW.join(_named(conversation)).strip()


def title_names_participants(conversation: Conversation) -> bool:
    """Does the title begin with the participants' names (made from them, as a run's is, or only them)?
    The text searched leaves such a title out: a speaker's name would match it in every conversation
    they are in, as if it had been said there."""
    names = ARROW.join(_named(conversation)).strip()
    return bool(names) and conversation.title.strip().startswith(names)


def _named(conversation: Conversation) -> list[str]:
    """Who a title names: the participants a header gives (all a header-only read knows), else the speakers."""
    return conversation.participants or conversation.speakers


def title_fields(conversation: Conversation) -> dict[str, str]:
    meta = conversation.metadata
    started = conversation.started
    return {
        "participants": ARROW.join(_named(conversation)),
        "template": meta.get("Template", "").replace("_", " ").strip(),
        "variant": meta.get("Variant", "").replace("_", " ").strip(),
        "revision": meta.get("Revision", "").strip(),
        "seed": short_seed(meta.get("Seed prompt", "")),
        "run": meta.get("Run", ""),
        "topic": meta.get("Topic", ""),
        "date": f"{started:%Y-%m-%d}" if started else "",
        "time": f"{started:%H:%M}" if started else "",
        "file": conversation.source.stem,
    }


def short_seed(seed: str) -> str:
    words = seed.split()
    if len(words) <= SEED_WORDS:
        return " ".join(words)
    return " ".join(words[:SEED_WORDS]).rstrip(",.;:—-") + "…"


def fill(template: str, fields: dict[str, str]) -> str:
    """``template`` with its fields filled in; parts (between ' · ') left empty are dropped."""
    parts = []
    for part in template.split(" · "):
        filled = re.sub(r"\{([a-z]+)\}", lambda m: fields.get(m.group(1), ""), part)
        if filled.strip():
            parts.append(" ".join(filled.split()))
    return " · ".join(parts)


def speaker_colours(config: Config) -> dict[str, str]:
    """Name -> colour, from ``speaker_colors`` and the ``[speakers]`` table."""
    colours = dict(config.speaker_colors)
    for key, entry in config.speakers.items():
        colour = entry.get("colour") or entry.get("color")
        if colour:
            colours[str(entry.get("name") or key)] = colour
    return colours


def digest(config: Config) -> str:
    """What of the config changes what is read (names, titles, tags): remembered outlines made
    under another digest are not used."""
    settings = repr((sorted((k, sorted(v.items())) for k, v in config.speakers.items()),
                     config.title_template, config.auto_tags))
    return hashlib.sha1(settings.encode("utf-8")).hexdigest()[:16]
