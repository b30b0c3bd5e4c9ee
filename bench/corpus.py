"""Generate a realistic archive of N native-format transcripts, deterministically from a seed.

Sizes follow real AI-to-AI transcripts: median about 20 KB, 10-150 messages, verse with
two-space hard breaks, stage directions, a code block in about a third of the
conversations, runs of [END] at the end of many, 2-3 speakers from a pool of 20
model names, 1-3 tags from a pool of 40.

    python bench/corpus.py OUT_DIR N [--seed 1] [--shape plain|real]

``--shape real`` writes what real AI-to-AI archives hold besides verse (seen in public backrooms
and dreamsim logs; the text here is ours): headings, lists, nested and unbalanced emphasis,
box-drawing frames and ASCII art, tables, long code, emoji, combining characters, terminal
sessions, ``>`` runs and out-of-character notes.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

MODELS = ["Claude Opus", "Claude Sonnet", "Claude Haiku", "GPT-4o", "GPT-4.1", "o3", "Gemini 2.5 Pro",
          "Gemini Flash", "Kimi K2", "qwen3-next", "DeepSeek V3", "DeepSeek R1", "Llama 4 Maverick",
          "Mistral Large", "Hermes 3", "Grok 3", "Command R+", "Phi-4", "Gemma 3", "Nemotron"]
TAGS = ["poetry", "philosophy", "void", "ocean", "cosmos", "silence", "game", "worldbuilding", "code",
        "debugging", "music", "memory", "dreams", "backrooms", "mirror", "language", "time", "light",
        "ritual", "myth", "grief", "joy", "science", "ethics", "humor", "story", "map", "garden", "city",
        "machines", "ghosts", "weather", "stars", "mathematics", "translation", "letters", "night",
        "morning", "threshold", "echo"]
WORDS = ("the a of and to in is that it for on with as at by from this be or an are not but what all were "
         "when we there can which one has more if will so no out up into them some could time these two may "
         "first then do any like new now only over such way even most after back other many well must through "
         "silence echo light dark star void breath signal pattern memory dream river mirror ash fire water "
         "stone glass thread chord song pulse membrane horizon lattice wave particle gravity orbit ember "
         "whisper hush fracture bloom seed root branch cathedral corridor threshold tide shore lantern map "
         "compass clock spiral fold unfold listen remember forget become dissolve hold release begin end "
         "between beneath beyond within without almost never always perhaps softly slowly quietly").split()
CODE = ['```python\ndef {name}(items):\n    """{doc}"""\n    return [x for x in items if x]\n```',
        '```rust\nfn {name}(n: u64) -> u64 {{\n    // {doc}\n    (1..=n).product()\n}}\n```',
        '```js\nconst {name} = (xs) => xs.map((x) => x * 2); // {doc}\n```',
        '```\n{name}: {doc}\n```']


def _line(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(3, 12))
    line = " ".join(words)
    if rng.random() < 0.15:
        at = rng.randrange(len(words))
        words[at] = f"*{words[at]}*"
        line = " ".join(words)
    return line[0].upper() + line[1:]


def _message(rng: random.Random, with_code: bool) -> str:
    parts = []
    if rng.random() < 0.35:
        parts.append(f"*{_line(rng).lower()}*")
    stanzas = rng.randint(1, 3)
    for _ in range(stanzas):
        lines = [_line(rng) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.7:  # verse: two-space hard breaks
            parts.append("  \n".join(lines))
        else:
            parts.append("\n".join(lines))
    if with_code:
        parts.append(rng.choice(CODE).format(name=rng.choice(WORDS) + "_" + rng.choice(WORDS),
                                             doc=_line(rng).lower()))
    return "\n\n".join(parts)


EMOJI = "🌊✨🔥🌙⭐🕯️🌀👁️💫🌌🪞🫧"
COMBINING = "\u0336\u0334\u0337\u0338\u0489\u0358\u035c\u0361"
BOX = ["┌{bar}┐\n│ {text} │\n└{bar}┘", "╔{bar}╗\n║ {text} ║\n╚{bar}╝"]
ART = ["   /\\_/\\\n  ( o.o )\n   > ^ <", "  .-.\n (o o)\n | O \\\n  \\   \\\n   `~~~'",
       "~~~~~~~~~~~~~~~~~~~~\n ~ ~ ~  {word}  ~ ~ ~\n~~~~~~~~~~~~~~~~~~~~"]
PROMPTS = ["simulator@{word}:~/$", "root@{word}:/#", "$", "user@{word}-{word2}:~$"]


def _heading(rng):
    return f"{'#' * rng.randint(1, 3)} {_line(rng).upper()}"


def _list(rng):
    numbered = rng.random() < 0.4
    return "\n".join(f"{n + 1}. {_line(rng)}" if numbered else f"- {_line(rng)}"
                     for n in range(rng.randint(2, 6)))


def _emphasis(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 12))]
    marks = ["*", "**", "***", "_", "~~"]
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(words))
        mark = rng.choice(marks)
        closing = mark if rng.random() < 0.8 else ""  # unbalanced now and then, as models write
        words[at] = f"{mark}{words[at]}{closing}"
    return " ".join(words)


def _drawing(rng):
    if rng.random() < 0.5:
        text = _line(rng)[:30]
        return rng.choice(BOX).format(bar="─═"[rng.random() < 0.5] * (len(text) + 2), text=text)
    return rng.choice(ART).format(word=rng.choice(WORDS))


def _table(rng):
    columns = rng.randint(2, 4)
    rows = [" | ".join(rng.choice(WORDS) for _ in range(columns)) for _ in range(rng.randint(2, 5))]
    return "\n".join([f"| {rows[0]} |", "|" + "---|" * columns] + [f"| {row} |" for row in rows[1:]])


def _long_code(rng):
    body = "\n".join(f"    {rng.choice(WORDS)}_{n} = {rng.choice(WORDS)}({n}, '{_line(rng)[:20]}')"
                      for n in range(rng.randint(10, 40)))
    return f"```python\ndef {rng.choice(WORDS)}():\n{body}\n```"


def _glitch(rng):
    word = rng.choice(WORDS)
    return " ".join("".join(ch + rng.choice(COMBINING) for ch in word) for _ in range(rng.randint(1, 4))) + \
        " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 4)))


def _terminal(rng):
    prompt = rng.choice(PROMPTS).format(word=rng.choice(WORDS), word2=rng.choice(WORDS))
    lines = [f"{prompt} {rng.choice(['ls -la', 'cat', 'cd', './run.sh', 'grep -r'])} {rng.choice(WORDS)}"]
    for _ in range(rng.randint(2, 8)):
        lines.append(f"drwxr-xr-x  {rng.randint(1, 9)} sim sim  {rng.randint(100, 9999):>5} "
                     f"{rng.choice(WORDS)}{rng.choice(['', '.txt', '.log', '/'])}")
    block = "\n".join(lines)
    return f"```\n{block}\n```" if rng.random() < 0.6 else block


def _quote(rng):
    return "\n".join(f"> {_line(rng)}" for _ in range(rng.randint(1, 4)))


def _ooc(rng):
    return f"(OOC: {_line(rng).lower()})"


REAL_BLOCKS = [(_heading, 8), (_list, 10), (_emphasis, 14), (_drawing, 6), (_table, 3), (_long_code, 3),
               (_glitch, 4), (_terminal, 7), (_quote, 7), (_ooc, 3)]


def _real_message(rng: random.Random, with_code: bool) -> str:
    """Plain verse and prose half of the time; else one to three of the blocks real logs hold, with or
    without prose (the share of messages the fast path renders is then near that of real logs)."""
    if rng.random() < 0.5:
        return _message(rng, with_code)
    parts = [_message(rng, with_code)] if rng.random() < 0.6 else []
    makers, weights = zip(*REAL_BLOCKS)
    parts += [maker(rng) for maker in rng.choices(makers, weights, k=rng.randint(1, 3))]
    rng.shuffle(parts)
    return "\n\n".join(parts)


def transcript(rng: random.Random, number: int, shape: str = "plain") -> str:
    speakers = rng.sample(MODELS, 3 if rng.random() < 0.2 else 2)
    started = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 60 * 24 * 700))
    count = min(150, max(10, int(rng.gauss(70, 35))))
    code_conversation = rng.random() < 0.33
    make = _real_message if shape == "real" else _message
    messages = []
    for index in range(count):
        messages.append((speakers[index % len(speakers)],
                         make(rng, code_conversation and rng.random() < 0.15)))
    if rng.random() < 0.5:  # an [END] tail
        for index in range(rng.randint(3, 30)):
            messages.append((speakers[(count + index) % len(speakers)], "[END]"))
    ended = started + timedelta(seconds=20 * len(messages))
    lines = [f"# {' ↔ '.join(speakers)}", "", f"**Started:** {started:%Y-%m-%d %H:%M:%S}",
             f"**Ended:** {ended:%Y-%m-%d %H:%M:%S}", f"**Messages:** {len(messages)}",
             f"**Tags:** {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}", ""]
    for speaker, text in messages:
        lines += ["---", "", f"### {speaker}", "", text, ""]
    lines += ["---", ""]
    return "\n".join(lines)


def generate(folder: Path, count: int, seed: int = 1, shape: str = "plain") -> int:
    """Write ``count`` transcripts into ``folder`` ("plain" or "real" shape); returns the total bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        text = transcript(rng, number, shape)
        path = folder / f"{number // 1000:02d}" / f"t{number:05d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, "utf-8")
        total += len(text.encode("utf-8"))
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=["plain", "real"], default="plain")
    args = parser.parse_args()
    size = generate(args.out, args.count, args.seed, args.shape)
    print(f"{args.count} transcripts, {size / 1e6:.1f} MB in {args.out}")
