"""Keys: a digest of everything an output shows. An output whose key is unchanged since the last build
(and whose build salt, see fingerprint.py, is the same) is kept as it is; any change to what it shows
changes its key (tests/test_keys.py changes each field in turn).

- a conversation's page: its content, where it came from, its slug and title, and its neighbours;
- a card: what the index shows of a conversation (its opening and its profile: an edit that changes
  neither leaves the index as it is);
- a row (and a feed entry): what the other lists show of it, a card without its small shape (an edit
  that changes only the shape, or the speakers' shares of the words, leaves those lists as they are);
- a list page: its place, heading and pagination, and the cards or rows on it;
- the files beside a page (conversation.json, the transcript): the content, slug and source file;
- a feed: its place, title and the rows of its entries.
"""

from __future__ import annotations

from generator.model import Conversation
from generator.output import digest


def card(conversation: Conversation) -> str:
    c = conversation
    return digest(repr((c.title, c.read_title, c.slug, c.speakers, c.started, c.ended, c.message_count, c.tags,
                        c.summary, c.opening, c.profile.card_view() if c.profile is not None else None)))


def row(conversation: Conversation) -> str:
    c, profile = conversation, conversation.profile
    return digest(repr((c.title, c.read_title, c.slug, c.speakers, c.started, c.ended, c.message_count, c.tags,
                        c.summary, c.opening, (profile.ending, profile.ending_label) if profile is not None else None)))


def conversation_page(conversation: Conversation, older, newer, related=()) -> str:
    """``older``/``newer``: the neighbours (anything with a slug and a title), or None; ``related``:
    the related conversations it lists (likewise).

    What the page shows of the conversation follows from its content, its file and the config (in the
    salt); its slug and title too, but they are named (a page may be keyed before its transcript is
    read whole, when only its header is known: so no speakers or counts here)."""
    return digest(conversation.fingerprint, str(conversation.source), conversation.slug, conversation.title,
                  *(f"{n.slug}\x00{n.title}" if n else "" for n in (older, newer)),
                  *(f"related\x00{n.slug}\x00{n.title}" for n in related))


def listing(template: str, url: str, heading: str, description: str, pagination: dict, extra: dict,
            item_keys) -> str:
    return digest(template, url, heading, description, repr(pagination), repr(extra), *item_keys)


def conversation_files(conversation: Conversation, source: str) -> str:
    """``source``: the source file's path relative to the content folder. conversation.json holds the
    title the archive shows (another conversation of the same title changes it)."""
    return digest(conversation.fingerprint, conversation.slug, conversation.title, source)


def feed(path: str, title: str, subtitle: str, item_keys) -> str:
    return digest(path, title, subtitle, *item_keys)
