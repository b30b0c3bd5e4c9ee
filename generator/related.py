"""Related conversations: for each conversation, the few whose words are most like its own.

TF-IDF over each conversation's terms (profile.terms_of_text: its most used words, sampled from the
start of its text, known as soon as it is read, even to its header only), computed at build time
and deterministic (ties by slug). To stay cheap at archive scale, two conversations are compared by
their *signatures* only, each one's SIGNATURE_TERMS most telling words (the cosine of those), and a
word in the signatures of very many conversations tells nothing and is left out: so the work grows
with the number of conversations, not with its square.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter

from generator.model import Conversation
from generator.profile import parse_counts

RELATED = 5  # shown per conversation
SIGNATURE_TERMS = 16
MIN_SCORE = 0.05  # below this, two conversations share too little to call them related


def related(conversations: list[Conversation], count: int = RELATED) -> dict[str, list[Conversation]]:
    """By slug: up to ``count`` other conversations, most similar first."""
    if count <= 0:
        return {}
    vectors = _vectors(conversations)
    signatures = {slug: sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:SIGNATURE_TERMS]
                  for slug, vector in vectors.items()}
    postings: dict[str, list[tuple[str, float]]] = {}
    for slug, signature in signatures.items():
        for term, weight in signature:
            postings.setdefault(term, []).append((slug, weight))
    crowded = max(50, int(4 * math.sqrt(len(vectors))))  # a signature word this common tells nothing
    by_slug = {c.slug: c for c in conversations}
    found = {}
    for slug, signature in signatures.items():
        # The cosine of the two signatures: the words both are best told by.
        scores: dict[str, float] = {}
        for term, weight in signature:
            sharing = postings[term]
            if len(sharing) <= crowded:
                for other, theirs in sharing:
                    scores[other] = scores.get(other, 0.0) + weight * theirs
        scores.pop(slug, None)
        ranked = sorted((-round(score, 9), other) for other, score in scores.items() if score >= MIN_SCORE)
        if ranked:
            found[slug] = [by_slug[other] for _, other in ranked[:count]]
    return found


def _vectors(conversations: list[Conversation]) -> dict[str, dict[str, float]]:
    """Each conversation's words, weighted (1 + log count) × log(N / conversations with the word), unit length."""
    counts: dict[str, Counter] = {}
    for conversation in conversations:
        words = parse_counts(conversation.terms)
        if words:
            counts[conversation.slug] = words
    documents: Counter = Counter()
    for words in counts.values():
        documents.update(words.keys())
    total = len(counts)
    vectors = {}
    for slug, words in counts.items():
        vector = {term: (1 + math.log(n)) * math.log(total / documents[term]) for term, n in words.items()
                  if documents[term] < total}  # a word every conversation has tells nothing
        norm = math.sqrt(sum(weight * weight for weight in vector.values()))
        if norm:
            vectors[slug] = {term: weight / norm for term, weight in vector.items()}
    return vectors


def digest(conversations: list[Conversation]) -> str:
    """What the related lists are made from (slugs, titles and words): the same digest, the same lists."""
    hasher = hashlib.sha1()
    for conversation in conversations:
        hasher.update(f"{conversation.slug}\x00{conversation.title}\x00{conversation.terms}\x00"
                      .encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()
