"""What each page shows: template contexts built from the archive (templates only present them).

Every function here returns plain dicts and lists. Every value that holds text from a transcript or
the config arrives already escaped (``markupsafe.Markup``), so a theme cannot forget to escape it,
even with autoescape off; the message bodies are the renderer's HTML. Site paths are relative to
the output root, with a trailing '/' for pages served as ``folder/index.html``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from html import escape as escape_text  # with quote=False: what a text node needs (no quote entities)
from json.encoder import encode_basestring as _json_string  # as json.dumps(ensure_ascii=False)
from math import ceil
from typing import Callable

from markupsafe import Markup, escape

from generator import keys
from generator.archive import PAIR_JOINER, Archive, Group, counted, pair_name, pair_slug, pairing_of
from generator.config import Config
from generator.diagnostics import duration, plural
from generator.identity import speaker_colours, title_names_participants
from generator.insights import ENDING_CHOICES, Insights, insights_of
from generator.language import direction, language_of, mostly_left_to_right
from generator.model import KIND_LABELS, Conversation, Message, archive_speaker, has_words, says_only
from generator.output import digest
from generator.profile import Profile
from generator.related import digest as related_digest, related
from generator.render import MessageRenderer
from generator.render.drawn import is_drawn, symbol_line as _symbol_line
from generator.render.charts import pair_matrix, timeline
from generator.render.shape import card_shape_svg, describe, shape_svg
from generator.statistics import (PairFigures, SpeakerFigures, SpeakerTotals, distinctive_words, ending_counts,
                                  pair_figures)
from generator.urls import slugify

PALETTE_SIZE = 12  # the theme defines .sp-0 … .sp-11 (light and dark variants)
EXCERPT_CHARS = 180
TURN_MAP_MESSAGES = 30  # a conversation this long gets a turn map


@dataclass(frozen=True)
class Page:
    """One HTML page. ``key`` digests everything the page shows, so a page whose key is
    unchanged since the last build need not be rendered again; ``make_context`` is only
    called when it must be."""
    path: str  # site path: 'c/slug/' is written as c/slug/index.html
    template: str
    key: str
    make_context: Callable[[], dict]

    @classmethod
    def of(cls, path: str, template: str, context: dict) -> "Page":
        """A page whose context is cheap to build: its key is the context itself."""
        return cls(path, template, digest(_canonical(context)), lambda: context)

    @property
    def context(self) -> dict:
        return self.make_context()

    @property
    def file(self) -> str:
        return self.path + "index.html" if self.path.endswith("/") or not self.path else self.path


def conversation_url(conversation: Conversation) -> str:
    return f"c/{conversation.slug}/"


def tag_url(name: str) -> str:
    return f"tags/{slugify(name)}/"


def speaker_url(name: str) -> str:
    return f"speakers/{slugify(name)}/"


def pair_url(name: str) -> str:
    return f"pairs/{pair_slug(name)}/"


def ending_url(kind: str) -> str:
    return f"endings/{kind}/"


def month_url(month: str) -> str:
    """'2025-10' -> 'archive/2025/10/'."""
    return f"archive/{month[:4]}/{month[5:7]}/"


def source_name(conversation: Conversation) -> str:
    """The transcript beside the page: the native source's own suffix, '.md' for imported formats."""
    suffix = conversation.source.suffix.lower()
    return conversation.slug + (suffix if suffix in (".md", ".markdown", ".txt") else ".md")


def conversation_files(conversation: Conversation, downloads: list[str]) -> list[str]:
    """What is published beside a conversation's page (the ``downloads`` setting: "json", "source")."""
    return (["conversation.json"] if "json" in downloads else []) + \
        ([source_name(conversation)] if "source" in downloads else [])


class Views:
    """Builds the pages of one build. Summaries may be cached across builds by the caller."""

    def __init__(self, archive: Archive, config: Config, renderer: MessageRenderer,
                 summaries: dict | None = None):
        """``summaries`` may be kept by the caller across builds of the same config."""
        self.archive = archive
        self.config = config
        self.renderer = renderer
        self.site = {
            "title": escape(config.title),
            "description": escape(config.description),
            "language": config.language,
            "dir": direction(config.language),
            "base_url": config.base_url,
            "search": config.search,
            "feed": "feed.xml" if config.base_url else "",
        }
        # Cards and their keys, by (content fingerprint, slug, ...): valid as long as the config is.
        self._summaries: dict[tuple, dict | str] = {} if summaries is None else summaries
        self._speakers: dict[str, dict] = {}
        self._related: dict | None = None  # by slug (made when first asked)
        self._keys: dict[tuple[int, str], tuple[str, str, str]] = {}  # by id of the archive's conversations (see _key)
        self._colours = speaker_colours(config)

    # -- shared pieces ---------------------------------------------------------

    def _page(self, path: str, title: str, description: str = "", **extra) -> dict:
        canonical = self.config.base_url.rstrip("/") + "/" + path if self.config.base_url else ""
        return {"path": path, "title": escape(title), "description": escape(description or self.config.description),
                "section": _SECTIONS.get(path.split("/")[0], ""),
                "canonical": canonical, "absolute": False, "base_path": self.config.base_path, **extra}

    def speaker(self, name: str) -> dict:
        view = self._speakers.get(name)
        if view is None:
            view = self._speakers[name] = self._speaker(name)
        return view

    def _speaker(self, name: str) -> dict:
        colour = self._colours.get(name)
        hashed = hashlib.sha1(name.encode("utf-8")).digest()
        return {
            "name": escape(name),
            "url": speaker_url(archive_speaker(name)),  # a seat's is its model's page
            "css_class": f"sp-{int.from_bytes(hashed[:4], 'big') % PALETTE_SIZE}",
            "style": f"--sp: {colour}" if colour else "",
        }

    def speakers_of(self, names: list[str]) -> dict[str, dict]:
        """The speakers of one conversation, no two in the same colour: each keeps the archive's colour
        for them unless someone before them in ``names`` has it, and then takes the next free one."""
        taken: set[str] = set()
        views: dict[str, dict] = {}
        for name in dict.fromkeys(names):
            view = self.speaker(name)
            if view["css_class"] in taken and not view["style"] and len(taken) < PALETTE_SIZE:
                start = int(view["css_class"][3:])
                free = next(f"sp-{(start + step) % PALETTE_SIZE}" for step in range(1, PALETTE_SIZE + 1)
                            if f"sp-{(start + step) % PALETTE_SIZE}" not in taken)
                view = {**view, "css_class": free}
            taken.add(view["css_class"])
            views[name] = view
        return views

    def summary(self, conversation: Conversation) -> dict:
        """The card shown for a conversation in lists, computed once per conversation content and slug."""
        key = (conversation.fingerprint or str(id(conversation)), conversation.slug, conversation.title)
        summary = self._summaries.get(key)
        if summary is None:
            summary = self._summaries[key] = {
                "title": escape(conversation.title),
                "url": conversation_url(conversation),
                **_participants(self.speakers_of(conversation.speakers), conversation.profile),
                "started": _time(conversation.started),
                "message_count": conversation.message_count,
                "tags": [{"name": escape(tag), "url": tag_url(tag)} for tag in conversation.tags],
                "excerpt": escape(conversation.summary or _excerpt(conversation.opening, conversation.read_title)),
            }
        return summary

    def card(self, conversation: Conversation) -> dict:
        """The row with the small shape, as the index shows it (once a build: not kept, unlike the row,
        which every list a conversation is on shows)."""
        return {**self.row(conversation), "shape": self._card_shape(conversation)}

    def row(self, conversation: Conversation) -> dict:
        """The summary with the ending badge, as the lists other than the index show it: no shape, which
        changes with many an edit that changes nothing else a list shows."""
        key = (conversation.fingerprint or str(id(conversation)), conversation.slug, conversation.title, "row view")
        row = self._summaries.get(key)
        if row is None:
            profile = conversation.profile
            ending = {"kind": profile.ending, "label": escape(profile.ending_label),
                      "url": ending_url(profile.ending)} if profile is not None else None
            row = self._summaries[key] = {**self.summary(conversation), "shape": "", "ending": ending}
        return row

    def _card_shape(self, conversation: Conversation) -> str:
        """A card's small shape, from the conversation's profile."""
        profile = conversation.profile
        if profile is None:
            return ""
        names = [name for name, _, _ in profile.speakers]
        views = self.speakers_of(conversation.speakers + names)
        bars, _, label, loop_percent, shares = profile.card_view()  # the card's key: it shows no more
        said = ", ".join(f"{name} {percent}%" for name, percent in shares if percent)
        summary = f"Shape of the conversation: {plural(conversation.message_count, 'message')}" + \
            (f"; words: {said}" if len(shares) > 1 and said else "") + \
            (f"; {loop_percent}% loop" if loop_percent else "") + f"; ending: {label}"
        return card_shape_svg(bars, [views[n]["css_class"] for n in names], [views[n]["style"] for n in names],
                              summary)

    def _listing(self, base: str, title: str, conversations: list[Conversation], description: str = "",
                 template: str = "list.html", first: dict | None = None, cards: bool = False, **extra) -> list[Page]:
        """A paginated list: ``base`` for page 1, ``base + 'page/N/'`` after it; ``first``: what page 1
        shows besides (a speaker's statistics); ``cards``: full cards (the index), else rows."""
        per_page = self.config.per_page
        count = max(1, ceil(len(conversations) / per_page))
        return [self._listing_page(base, title, conversations[(number - 1) * per_page:number * per_page],
                                   (number, count, len(conversations)), description, template,
                                   {**extra, **(first or {})} if number == 1 else extra, cards)
                for number in range(1, count + 1)]

    def _listing_page(self, base: str, title: str, chunk: list[Conversation], place: tuple[int, int, int],
                      description: str, template: str, shown: dict, cards: bool = False) -> Page:
        """Page ``number`` of ``count`` of a list of ``total`` conversations (``place``), showing ``chunk``
        as cards or as rows."""
        number, count, total = place
        url = _page_of_list(base, number)
        heading = title if number == 1 else f"{title} (page {number} of {count})"
        first_index = (number - 1) * self.config.per_page + 1
        pagination = {
            "number": number, "count": count, "total": total,
            "first_index": first_index, "last_index": first_index - 1 + len(chunk),
            "prev_url": _page_of_list(base, number - 1) if number > 1 else None,
            "next_url": _page_of_list(base, number + 1) if number < count else None,
        }
        # A card follows from its conversation's content and slug, and the rest from the config
        # (in the build's salt): so these are the page's key, and the cards are made only if it changed.
        key_of = self.card_key if cards else self.row_key
        key = keys.listing(template, url, heading, description, pagination, shown, (key_of(c) for c in chunk))
        context = functools.partial(self._listing_context, url, heading, title, description, chunk, cards,
                                    pagination, shown)
        return Page(url, template, key, context)

    def card_key(self, conversation: Conversation) -> str:
        """Everything a card shows of a conversation (see keys.card). Kept with the summaries."""
        return self._key(conversation, "card", keys.card)

    def row_key(self, conversation: Conversation) -> str:
        """Everything a row and a feed entry show of a conversation (see keys.row): an edit to its
        messages past the opening leaves the lists it is in as they are."""
        return self._key(conversation, "row", keys.row)

    def _key(self, conversation: Conversation, kind: str, make: Callable[[Conversation], str]) -> str:
        # Asked for each list a conversation is on (tens of thousands of times a build): known by the
        # object first, while it keeps the slug and title it had.
        known = self._keys.get((id(conversation), kind))
        if known is not None and known[0] is conversation.slug and known[1] is conversation.title:
            return known[2]
        memo = (conversation.fingerprint or str(id(conversation)), conversation.slug, conversation.title, kind)
        key = self._summaries.get(memo)
        if key is None:
            key = self._summaries[memo] = make(conversation)
        self._keys[(id(conversation), kind)] = (conversation.slug, conversation.title, key)
        return key

    def _listing_context(self, url, heading, title, description, chunk, cards, pagination, extra) -> dict:
        return {
            "site": self.site,
            "page": self._page(url, heading, description),
            "heading": escape(title),
            "conversations": [self.card(c) if cards else self.row(c) for c in chunk],
            "pagination": pagination,
            **extra,
        }

    # -- pages -------------------------------------------------------------------

    def index_pages(self) -> list[Page]:
        return self._listing("", self.config.title, self.archive.conversations, self.index_description,
                             template="index.html", cards=True, endings=self.index_filter)

    def index_page(self, chunk: list[Conversation], place: tuple[int, int, int], description: str,
                   endings: list[dict]) -> Page:
        """One page of the index alone, as index_pages makes it: the ``chunk`` of conversations on it,
        its ``place`` (number, count, total), and what the archive gave it (``index_description``,
        ``index_filter``), as kept by the last build (see totals.py)."""
        return self._listing_page("", self.config.title, chunk, place, description, "index.html",
                                  {"endings": endings}, cards=True)

    @functools.cached_property
    def index_description(self) -> str:
        return self.config.description or self._archive_summary()

    @functools.cached_property
    def index_filter(self) -> list[dict]:
        return self._ending_filter("")

    def _archive_summary(self) -> str:
        """What the index says of the archive to search engines and link previews, when the config
        gives no description: how many conversations, over which months, with whom most often."""
        conversations = self.archive.conversations
        summary = f"{len(conversations):,} conversation{'' if len(conversations) == 1 else 's'}"
        months = self.archive.months  # newest first
        if months:
            first, last = _month_name(months[-1].name), _month_name(months[0].name)
            summary += f", {first}" if first == last else f", {first} to {last}"
        busiest = sorted(self.archive.speakers, key=lambda group: (-len(group.conversations), group.name))
        names = [group.name for group in busiest[:3]]
        if len(busiest) > 3:
            summary += f", with {', '.join(names)} and {len(busiest) - 3:,} more"
        elif names:
            summary += f", with {' and '.join(names) if len(names) < 3 else f'{names[0]}, {names[1]} and {names[2]}'}"
        return summary + "."

    def _ending_filter(self, current: str) -> list[dict]:
        """The list filter by ending: 'all', then each kind of ending there is, with its count."""
        choices = [{"label": "all", "url": "", "count": len(self.archive.conversations), "current": not current}]
        choices += [{"label": label, "url": ending_url(kind), "count": count, "current": kind == current}
                    for kind, label, count in self._ending_counts if count]
        return choices

    @functools.cached_property
    def _ending_counts(self) -> list[tuple[str, str, int]]:
        return ending_counts(self.archive.conversations)

    def ending_pages(self) -> list[Page]:
        """endings/<kind>/: the conversations that ended so, each list with the filter on top."""
        pages = []
        by_kind: dict[str, list[Conversation]] = {}
        for conversation in self.archive.conversations:
            if conversation.profile is not None:
                by_kind.setdefault(conversation.profile.ending, []).append(conversation)
        for kind, label in ENDING_CHOICES:
            if kind in by_kind:
                pages += self._listing(ending_url(kind), f"Ending: {label}", by_kind[kind],
                                       f"Conversations whose ending is: {label}", endings=self._ending_filter(kind))
        return pages

    def tag_pages(self) -> list[Page]:
        pages = [self._group_index("tags/", "Tags", self.archive.tags, "tags.html")]
        for group in self.archive.tags:
            pages += self._listing(tag_url(group.name), f"Tag: {group.name}", group.conversations,
                                   f"Conversations tagged {group.name}", feed=self._feed_of(tag_url(group.name)))
        return pages

    @functools.cached_property
    def speaker_totals(self) -> SpeakerTotals:
        """The speakers' figures across the archive (a build keeps them for the next: see totals.py)."""
        return SpeakerTotals.of(self.archive.conversations, (group.slug for group in self.archive.pairs))

    def speaker_pages(self) -> list[Page]:
        totals = self.speaker_totals
        pages = [self.speakers_index(counted(self.archive.speakers), totals)]
        statistics = self.speaker_statistics(totals)
        for group in self.archive.speakers:
            pages += self._listing(speaker_url(group.name), group.name, group.conversations,
                                   f"Conversations with {group.name}", first={"stats": statistics(group.name)},
                                   **self._speaker_list_shows(group.name))
        return pages

    def speakers_index(self, groups: list[tuple[str, str, int]], totals: SpeakerTotals) -> Page:
        """speakers/: each speaker (name, slug, conversations) with their figures."""
        context = self._group_context("speakers/", "Speakers", groups)
        for item, (name, _, _) in zip(context["groups"], groups):
            found = totals.figures.get(name)
            item.update(messages=found.messages if found else 0, words=found.words if found else 0,
                        per_message=f"{found.words_per_message:.0f}" if found else "0")
        return Page.of("speakers/", "speakers.html", context)

    def speaker_first_page(self, name: str, conversations: list[Conversation], total: int,
                           stats: dict | None) -> Page:
        """The first page of a speaker's list alone: the ``conversations`` on it (of ``total``) and
        their ``stats`` (see speaker_statistics), as speaker_pages makes it."""
        count = max(1, ceil(total / self.config.per_page))
        return self._listing_page(speaker_url(name), name, conversations, (1, count, total),
                                  f"Conversations with {name}", "list.html",
                                  {**self._speaker_list_shows(name), "stats": stats})

    def _speaker_list_shows(self, name: str) -> dict:
        return {"speaker": self.speaker(name), "feed": self._feed_of(speaker_url(name))}

    def speaker_statistics(self, totals: SpeakerTotals) -> Callable[[str], dict | None]:
        """What a speaker's page shows above their conversations, by name (None: no figures)."""
        words, archive_words = totals.words, totals.archive_words()

        def of(name: str) -> dict | None:
            found = totals.figures.get(name)
            if found is None:
                return None
            return self._speaker_statistics(found, distinctive_words(words.get(name, Counter()), archive_words),
                                            totals.pairs)
        return of

    @staticmethod
    def _pair_url_of(names: list[str], pairs: frozenset[str]) -> str:
        """The page of these speakers' conversations alone together, if they had any (``pairs``: the
        slugs of the pairings that have pages)."""
        slug = pair_slug(pair_name(names))
        return f"pairs/{slug}/" if slug in pairs else ""

    def _speaker_statistics(self, found: SpeakerFigures, distinctive: list[tuple[str, float]],
                            pairs: frozenset[str]) -> dict:
        """What a speaker's page shows above their conversations."""
        return {
            "conversations": found.conversations, "messages": found.messages, "words": found.words,
            "per_message": f"{found.words_per_message:.0f}", "ended_by": found.ended_by,
            "partners": [{**self.speaker(name), "count": count, "pair": self._pair_url_of([found.name, name], pairs),
                          **({"name": "itself"} if name == found.name else {})}  # a model that talked with itself
                         for name, count in sorted(found.partners.items(), key=lambda item: (-item[1], item[0]))[:12]],
            "endings": [{"label": label, "url": ending_url(kind), "count": found.endings[kind]}
                        for kind, label in ENDING_CHOICES if found.endings[kind]],
            "distinctive": [{"word": escape(word), "score": f"{score:.1f}"} for word, score in distinctive],
        }

    def _feed_of(self, list_url: str) -> str:
        return list_url + "feed.xml" if self.config.base_url else ""

    def feeds(self) -> list[tuple[str, str, str, str, list[Conversation]]]:
        """(feed path, list page path, title, subtitle, conversations) for every feed, when base_url is set."""
        if not self.config.base_url:
            return []
        title = self.config.title
        feeds = [("feed.xml", "", title, self.config.description, self.archive.conversations)]
        feeds += [(tag_url(g.name) + "feed.xml", tag_url(g.name), f"{title}: tag {g.name}", "", g.conversations)
                  for g in self.archive.tags]
        feeds += [(speaker_url(g.name) + "feed.xml", speaker_url(g.name), f"{title}: {g.name}", "", g.conversations)
                  for g in self.archive.speakers]
        return feeds

    def feed_entry(self, conversation: Conversation) -> dict:
        summary = self.summary(conversation)
        return {"title": conversation.title, "url": summary["url"], "started": conversation.started,
                "ended": conversation.ended, "speakers": conversation.speakers, "tags": conversation.tags,
                "summary": conversation.summary or _excerpt(conversation.opening, conversation.read_title)}

    def pair_pages(self) -> list[Page]:
        figures = {group.slug: pair_figures(group.name.split(PAIR_JOINER), group.conversations)
                   for group in self.archive.pairs}
        context = self._group_context("pairs/", "Pairs", counted(self.archive.pairs), figures)
        context["matrix"] = _escaped(pair_matrix([f for f in figures.values() if len(f.speakers) == 2],
                                                 lambda pair: pair_url(pair_name(list(pair.speakers)))))
        pages = [Page.of("pairs/", "pairs.html", context)]
        for group in self.archive.pairs:
            pages += self._listing(pair_url(group.name), group.name, group.conversations,
                                   f"Conversations between {group.name}",
                                   pair=[self.speaker(name) for name in group.name.split(PAIR_JOINER)])
        return pages

    def date_pages(self) -> list[Page]:
        """archive/ (years and months), archive/YYYY/ and archive/YYYY/MM/."""
        years: dict[str, list[Group]] = {}
        for month in self.archive.months:
            years.setdefault(month.name[:4], []).append(month)
        index = [{"year": year, "url": f"archive/{year}/", "count": sum(len(m.conversations) for m in months),
                  "months": [{"name": _month_name(m.name), "url": month_url(m.name), "count": len(m.conversations)}
                             for m in months]}
                 for year, months in years.items()]
        undated = sum(1 for c in self.archive.conversations if c.started is None)
        dated = [(c.started, c.message_count) for c in self.archive.conversations if c.started is not None]
        chart = timeline(dated, month_url)
        pages = [Page.of("archive/", "dates.html", {"site": self.site, "page": self._page("archive/", "Archive by date"),
                                                   "years": index, "undated": undated, "timeline": _escaped(chart)})]
        for year, months in years.items():
            conversations = [c for month in months for c in month.conversations]
            pages += self._listing(f"archive/{year}/", year, conversations, f"Conversations from {year}")
        for month in self.archive.months:
            pages += self._listing(month_url(month.name), _month_name(month.name), month.conversations,
                                   f"Conversations from {_month_name(month.name)}")
        return pages

    def search_page(self) -> Page:
        context = {"site": self.site, "page": self._page("search/", "Search"),
                   "speakers": [escape(g.name) for g in self.archive.speakers],
                   "tags": [escape(g.name) for g in self.archive.tags], "endings": ENDING_CHOICES}
        return Page.of("search/", "search.html", context)

    def _group_index(self, path: str, title: str, groups: list[Group], template: str) -> Page:
        return Page.of(path, template, self._group_context(path, title, counted(groups)))

    def _group_context(self, path: str, title: str, groups: list[tuple[str, str, int]],
                       figures: dict[str, PairFigures] | None = None) -> dict:
        """A list of groups (tags, speakers, pairs: name, slug, conversations), with a pairing's figures
        when given."""
        items = [{"name": escape(name), "url": f"{path}{slug}/", "count": count,
                  "speakers": [self.speaker(speaker) for speaker in name.split(PAIR_JOINER)]}
                 for name, slug, count in groups]
        for item, (_, slug, _) in zip(items, groups):
            if figures is not None:
                found = figures[slug]
                item.update(mean=f"{found.mean_messages:.0f}", loop=f"{found.loop_share:.0%}",
                            tail=f"{found.tail_share:.0%}")
        return {"site": self.site, "page": self._page(path, title), "groups": items}

    def not_found_page(self) -> Page:
        page = self._page("404.html", "Page not found")
        page.update(absolute=True, canonical="")  # served at any address, so links carry the base path
        return Page.of("404.html", "404.html", {"site": self.site, "page": page})

    def conversation_page(self, position: int, content: Conversation | None = None) -> Page:
        """The page of the conversation at ``position``; ``content`` is it with its messages, if held apart."""
        conversation = self.archive.conversations[position]
        return self.page_between(conversation, *self.archive.neighbours(position), content=content)

    def page_between(self, conversation: Conversation, older: Conversation | None, newer: Conversation | None,
                     content: Conversation | None = None, related: list | None = None) -> Page:
        """A conversation's page, placed between its neighbours in the archive, listing ``related`` (anything
        with a slug and a title; by default, the ones the archive gives)."""
        if related is None:
            related = self.related_to(conversation)
        # Everything the page shows comes from these (speaker colours and the rest of the config
        # are in the build's salt), so they are its key; the context is built only if it changed.
        key = keys.conversation_page(conversation, older, newer, related)
        return Page(conversation_url(conversation), "conversation.html", key,
                    lambda: self._conversation_context(content or conversation, older, newer, related))

    def related_to(self, conversation: Conversation) -> list[Conversation]:
        """The conversations most alike this one (related.py), made once for the archive, and kept with
        the summaries while the archive's words and titles are the same."""
        if self._related is None:
            memo = ("related", self.config.related, self.related_key)
            self._related = self._summaries.get(memo)
            if self._related is None:
                self._related = self._summaries[memo] = related(self.archive.conversations, self.config.related)
        return self._related.get(conversation.slug, [])

    @functools.cached_property
    def related_key(self) -> str:
        """A digest of what the related lists are made from (see remember_related)."""
        return related_digest(self.archive.conversations)

    def list_keys(self, conversation: Conversation) -> tuple[str, str]:
        """The keys of its card and its row (as the sources file notes them)."""
        return self.card_key(conversation), self.row_key(conversation)

    def remember_list_keys(self, list_keys: dict[tuple[str, str, str], tuple[str, str]]) -> None:
        """Take the keys of cards and rows an earlier build made (by fingerprint, slug and title: see _key)."""
        for (fingerprint, slug, title), (card, row) in list_keys.items():
            self._summaries.setdefault((fingerprint, slug, title, "card"), card)
            self._summaries.setdefault((fingerprint, slug, title, "row"), row)

    def remember_related(self, key: str, lists: dict[str, list]) -> None:
        """Take related lists a build made earlier (``lists``, by slug), if made from the same (``key``)."""
        if self._related is None and key == self.related_key:
            self._related = self._summaries[("related", self.config.related, key)] = lists

    def _conversation_context(self, conversation: Conversation, older, newer, related_list) -> dict:
        url = conversation_url(conversation)
        views = self.speakers_of(conversation.speakers + [m.speaker for m in conversation.messages])
        talkers = list(dict.fromkeys(m.speaker for m in conversation.messages if m.kind == "message"))
        sides = {name: side for name, side in zip(talkers, "ab")} if len(talkers) == 2 else {}
        found = insights_of(conversation)
        messages = [self._message(m, views[m.speaker], sides.get(m.speaker, "")) for m in conversation.messages]
        _mark_repeats(messages, found)
        summary = self.summary(conversation)
        colours = {name: (view["css_class"], view["style"]) for name, view in views.items()}
        return {
            "site": self.site,
            "page": self._page(url, conversation.title,
                               conversation.summary or _excerpt(conversation.opening, conversation.read_title)),
            "conversation": {
                **summary,
                **_participants({name: views[name] for name in conversation.speakers}, conversation.profile),
                "ended": _time(conversation.ended),
                "duration": _duration(conversation.started, conversation.ended),
                "extra_metadata": [(escape(k), _metadata_value(v)) for k, v in conversation.metadata.items()
                                   if k not in _SHOWN_KEYS],
                # A title the source gave is searched too, weighted as a heading (ahead of the messages).
                "searched_title": "" if title_names_participants(conversation) else escape(conversation.title),
                "messages": _fold_runs(messages, self.config.collapse_repeats),
                "speaker_filters": [escape(name) for name in conversation.archive_speakers],
                **_who_said_what(conversation),
                "shape": shape_svg(found, colours),
                "shape_summary": escape(describe(found)),
                "turn_map": _turn_map(found) if len(messages) >= TURN_MAP_MESSAGES else None,
                "ending": {"kind": found.ending.kind, "label": escape(found.ending.label),
                           "url": f"#m-{found.ending.at}" if found.ending.at else ""},
                "loops": len(found.loops),
                "pair": ({"name": escape(pairing), "url": pair_url(pairing)}
                         if (pairing := pairing_of(conversation)) else None),
                "month": ({"name": _month_name(f"{conversation.started:%Y-%m}"),
                           "url": month_url(f"{conversation.started:%Y-%m}")} if conversation.started else None),
                "json_url": url + "conversation.json" if "json" in self.config.downloads else "",
                "source_url": url + source_name(conversation) if "source" in self.config.downloads else "",
                "older": _neighbour(older),
                "newer": _neighbour(newer),
                "related": [_neighbour(other) for other in related_list],
            },
        }

    def _message(self, message: Message, speaker: dict, side: str) -> dict:
        """A message as the page shows it. The theme prints these without escaping except the speaker's
        name and style, ``preview`` and a run's ``sample``: so the rest is Antiphon's own making."""
        html = self.renderer.render(message.text)
        kind = message.kind if message.kind in KIND_LABELS else "message"
        speech = kind == "message"
        language = language_of(message.text, self.config.language)
        return {
            "index": int(message.index),
            "id": f"m-{int(message.index)}",
            "speaker": speaker,
            "side": side if speech else "",
            "html": Markup(html),  # the renderer's, escaped
            "empty": not html,
            "text": message.text.strip(),
            "time": _time(message.time) if message.time is not None else None,
            "kind": kind,
            "kind_label": "" if speech else _KIND_HEADINGS[kind],
            "preview": "" if speech else escape(_preview(message.text)),
            "run": None,  # set by _fold_runs on the first message of a folded run
            "run_end": False,
            "repeats": 0,  # set by _mark_repeats: the message this one says again
            "loop": "",  # on the first message of a loop: what it repeats
            "lang": language,
            "dir": self._direction(message.text, language),
        }

    def _direction(self, text: str, language: str) -> str:
        """A message's writing direction where it is not the page's (which base.html gives): right to
        left in a page that is not, left to right in one that is right to left."""
        if not self.site["dir"]:
            return direction(language)
        return "ltr" if mostly_left_to_right(text) else ""


def _turn_map(found: Insights) -> dict:
    """What the page's script needs to make the turn map (a link to each message, in its speaker's
    colour, marked where it is loop, repeat or closing tail) besides the messages: where the closing
    tail begins and the loops' ranges. Made in the page: as links, a long conversation's turn map was
    a tenth of its page (35 bytes a message)."""
    return {"tail": found.tail or "", "loops": " ".join(f"{loop.first}-{loop.last}" for loop in found.loops)}


def _mark_repeats(messages: list[dict], found: Insights) -> None:
    by_index = {m["index"]: m for m in messages}
    for index, source in found.repeats.items():
        by_index[index]["repeats"] = source
    for loop in found.loops:
        by_index[loop.first]["loop"] = (f"Messages {loop.first}–{loop.last} repeat "
                                        f"{loop.source}–{loop.source + loop.length - 1} word for word")


def _escaped(chart: dict | None) -> dict | None:
    """A chart's geometry (render/charts.py) with its names and labels escaped, as templates expect."""
    if chart is None:
        return None
    def walk(value):
        if isinstance(value, dict):
            return {key: escape(item) if key in ("name", "label") else walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value
    return walk(chart)


def _canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


_KIND_HEADINGS = {kind: label.capitalize() for kind, label in KIND_LABELS.items()}
_WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>]+")  # a metadata value shown as a link
_SHOWN_KEYS = {"Started", "Ended", "Messages", "Tags", "Title", "Summary", "Draft", "Slug", "Labels", "Ending"}


def _metadata_value(value: str) -> Markup:
    """A metadata value, escaped; a web address (a chat's 'Link') as a link to it."""
    shown = escape(value)
    return Markup(f'<a href="{shown}" rel="nofollow noopener">{shown}</a>') if _WEB_ADDRESS.fullmatch(value) else shown


def conversation_json(conversation: Conversation, source: str) -> str:
    """The canonical model as JSON, beside the page (stable key order, no absolute paths).

    Compact, and its messages written out string by string: exactly what json.dumps would
    write (tested), without building a dict for each of an archive's hundreds of thousands.
    """
    head = json.dumps({
        "title": conversation.title,
        "slug": conversation.slug,
        "participants": conversation.speakers,
        "started": conversation.started.isoformat() if conversation.started else None,
        "ended": conversation.ended.isoformat() if conversation.ended else None,
        "tags": conversation.tags,
        "summary": conversation.summary,
        "metadata": conversation.metadata,
        "source": source,
        "insights": insights_of(conversation).numbers(),
    }, ensure_ascii=False, separators=(",", ":"))
    messages = ",".join(_message_json(m) for m in conversation.messages)
    return f'{head[:-1]},"messages":[{messages}]}}\n'


def _message_json(message: Message) -> str:
    text = (f'{{"index":{int(message.index)},"speaker":{_json_string(message.speaker)},'
            f'"text":{_json_string(message.text)},"line":{int(message.line)}')
    if message.time is not None:
        text += f',"time":{_json_string(message.time.isoformat())}'
    if message.kind != "message":
        text += f',"kind":{_json_string(message.kind)}'
    if message.label:
        text += f',"label":{_json_string(message.label)}'
    return text + "}"


def _fold_runs(messages: list[dict], threshold: int) -> list[dict]:
    """Mark runs of ``threshold``+ identical consecutive texts, to be folded into one block.

    The first message of a run gets ``run`` (its count, sample text and index range), the
    last ``run_end``; the list stays flat, so the template shows every message the same way.
    """
    start = 0
    while start < len(messages):
        end, key = start + 1, _run_key(messages[start])
        while end < len(messages) and _run_key(messages[end]) == key:
            end += 1
        if threshold >= 2 and end - start >= threshold:
            first, last = messages[start], messages[end - 1]
            # A note's summary line: its fields below are what its numbers left out of the run's key.
            # Its words as the message shows them, not its Markdown ('*[sticker]*' is an italic '[sticker]').
            sample = first["preview"] if first["kind"] == "note" else \
                escape(_shortened(_ESCAPE_OR_MARK.sub(_escaped_or_nothing, first["text"]), 60))
            first["run"] = {"count": end - start, "sample": sample, "first": first["index"], "last": last["index"]}
            last["run_end"] = True
        start = end
    return messages


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _run_key(message: dict) -> str:
    """What consecutive messages share to be one run: their text; a note's text with its numbers left
    out, so that a tool's ten retries of one error ('retrying in 1.2 s (attempt 2 of 10)') fold as one."""
    if message["kind"] == "note":
        return "note\0" + _NUMBER.sub("#", message["text"])
    return message["text"]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _page_of_list(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def _month_name(month: str) -> str:
    """'2025-10' -> 'October 2025' (not locale-dependent: the same input gives the same page)."""
    return f"{_MONTHS[int(month[5:7]) - 1]} {month[:4]}"


def _time(when: datetime | None) -> dict | None:
    if when is None:
        return None
    # HTML's datetime takes at most three digits of a second; runner logs note six.
    iso = when.isoformat(timespec="milliseconds") if when.microsecond else when.isoformat()
    date = when.date().isoformat()  # four digits of year, always: HTML reads it as the time's value
    if when.tzinfo is None and when.time() == datetime.min.time() and when.year != 1900:
        return {"iso": date, "date": date, "text": date, "clock": date}  # a day given without its time
    text = f"{date} {when:%H:%M}"
    return {"iso": iso, "date": date, "text": text, "clock": f"{when:%H:%M:%S}" if when.year == 1900 else text}


# Speakers shown by name where a conversation is shown; a group chat's others are counted (on its
# page, listed under it when asked for).
PARTICIPANTS_SHOWN = 12


def _participants(views: dict[str, dict], profile: Profile | None) -> dict:
    """The speakers to name (in order of appearance; a group chat's, those who wrote most) and the rest."""
    names = list(views)
    if len(names) > PARTICIPANTS_SHOWN and profile is not None:
        words = {name: count for name, _, count in profile.speakers}
        names.sort(key=lambda name: -words.get(name, 0))  # stable: appearance breaks ties
    shown = [views[name] for name in names]
    return {"participants": shown[:PARTICIPANTS_SHOWN], "more_participants": shown[PARTICIPANTS_SHOWN:]}


def _duration(started: datetime | None, ended: datetime | None) -> str:
    if started is None or ended is None or (started.tzinfo is None) != (ended.tzinfo is None):
        return ""
    seconds = int((ended - started).total_seconds())
    return conversation_span(seconds) if seconds >= 0 else ""


def conversation_span(seconds: int) -> str:
    """How long a conversation went on, to the unit that matters: '5 min 30 s', '2 h 5 min', '3 days
    4 h', '403 days' (a chat app's export can span years, where its hours say nothing)."""
    days, rest = divmod(seconds, 86_400)
    if not days:
        return duration(seconds) if seconds < 3600 else duration(rest - rest % 60)
    hours = rest // 3600
    shown = plural(days, "day")
    return f"{shown} {hours} h" if hours and days < 10 else shown


def _preview(text: str) -> str:
    """A one-line hint of a folded block: its first line with words in it, shortened (a file as Claude
    Code's Read tool shows it, '     1→text', by its text: the line numbers would name every file alike;
    a heading, '## Introduction', by its words)."""
    for line in text.splitlines():
        words = " ".join(_ESCAPE_OR_MARK.sub(_escaped_or_nothing, _HEADING_MARK.sub("", _LINE_NUMBER.sub("", line))).split())
        if words:
            return words if len(words) <= 80 else words[:79] + "…"
    return ""


_LINE_NUMBER = re.compile(r"^\s*\d+→")
# Markdown's escapes ('\*' is a star) and its marks of emphasis and code, which a hint leaves out.
_ESCAPE_OR_MARK = re.compile(r"\\([!-/:-@\[-`{-~])|[*`]")


def _escaped_or_nothing(found: re.Match) -> str:
    return found[1] or ""
_HEADING_MARK = re.compile(r"^ {0,3}#{1,6}[ \t]+(?=\S)")


def _shortened(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word, with '…' (escaped after: an entity is never cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


# The menu entry each top-level folder belongs to (the nav marks it as the current page).
_SECTIONS = {"": "conversations", "page": "conversations", "c": "conversations", "endings": "conversations", "tags": "tags",
             "speakers": "speakers", "pairs": "pairs", "archive": "dates", "search": "search"}


# A mark per speaker, for the search index's record of who wrote each message (see _who_said_what):
# punctuation only, which Pagefind does not index as a word (it does index metadata's words).
_TURN_MARKS = "!#$%()*+,-/:;=?@[]^{|}~"


def _who_said_what(conversation: Conversation) -> dict:
    """What the search page needs to name the speaker of each match: the marks of who wrote each
    message, and the seats' names when a model took two seats (both are one speaker filter, so the
    filters cannot tell them apart; '' otherwise, and the marks count places among the filters)."""
    if conversation.archive_speakers == conversation.seated:
        return {"speaker_turns": _speaker_turns(conversation.archive_speakers, conversation.messages, archive_speaker),
                "speaker_seats": ""}
    seats = conversation.speakers
    turns = _speaker_turns(seats, conversation.messages, lambda name: name)
    return {"speaker_turns": turns, "speaker_seats": Markup(escape_text(_canonical(seats), quote=False)) if turns else ""}


def _speaker_turns(speakers: list[str], messages: list[Message], name_of: Callable[[str], str]) -> str:
    """Who wrote each message: a mark per message number, the mark of its speaker's place among
    ``speakers`` (``name_of`` gives a message's speaker as they are named there), '.' for a number no
    message has or a speaker not among them. "" with one speaker (nothing to tell apart) or more
    speakers than marks."""
    if not 2 <= len(speakers) <= len(_TURN_MARKS) or not messages:
        return ""
    mark_of = dict(zip(speakers, _TURN_MARKS))
    marks = ["."] * max(message.index for message in messages)
    for message in messages:
        marks[message.index - 1] = mark_of.get(name_of(message.speaker), ".")
    return "".join(marks)


def _neighbour(conversation: Conversation | None) -> dict | None:
    return {"title": escape(conversation.title), "url": conversation_url(conversation)} if conversation else None


_SYMBOLS = re.compile("[\u2500-\u259f\u2800-\u28ff]|[^\\w\\s]{3}")
_FENCED = re.compile(r"^ {0,3}(```|~~~).*?(^ {0,3}\1|\Z)", re.M | re.S)
_FENCE_LINE = re.compile(r"^ {0,3}(?:```|~~~)[^\n]*$", re.M)
_MARKUP = re.compile(r"[*`#>|]+|~~+|\[END\]|\[([^\]]*)\]\([^)]*\)")  # '~/' is a path, '~~' strikes


def _excerpt(texts, title: str = "") -> str:
    """Plain text from the first message with words in it (not its code or drawings, unless the
    message is all code: a run's model answers in a code block, ```./dreamsim.exe "I'm on a train…"```),
    cut at a word boundary; without what ``title`` (the title as read) already says of it: the rest of
    a request the title begins, or the next message when the title is all it says."""
    for text in texts:
        if title and says_only(text, title):
            continue
        prose = _FENCED.sub(" ", text)
        text = _plain(prose, title) or (_plain(_FENCE_LINE.sub("", text), title) if prose != text else "")
        if text:
            if len(text) <= EXCERPT_CHARS:
                return text
            return text[:EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",.;:—-") + "…"
    return ""


def _plain(text: str, title: str) -> str:
    """The words of ``text`` on one line, without its drawings (a line of emoji art has no word
    either), markup and what the title says."""
    if _SYMBOLS.search(text):
        text = "\n".join(line for line in text.split("\n")
                         if has_words(line) and not is_drawn([line]) and not _symbol_line(line))
    return _after_title(" ".join(_MARKUP.sub(lambda m: m.group(1) or " ", text).split()), title)


def _after_title(text: str, title: str) -> str:
    """``text`` without the words the title begins it with ('…' first when the title was cut mid-line)."""
    cut = title.endswith("…")
    head = " ".join((title[:-1] if cut else title).split())
    if not head or not text.startswith(head) or len(text) == len(head) or not (cut or text[len(head)] == " "):
        return text
    rest = text[len(head):].lstrip()
    return ("…" + rest if cut else rest) if rest else text
