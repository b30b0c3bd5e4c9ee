"""Who spoke in an AI-to-AI run, from what the run's files say about it.

Runners label turns by seat: ``Claude 1`` and ``Claude 2``, ``A`` and ``B``,
``user`` and ``assistant``. The models in those seats are named elsewhere: in the
folder (``claude-3-5-haiku-20241022_claude-3-opus-20240229/``), in the file name
(``haiku_opus_cli_20241202_233629.md``), in a header (``Models: k2, k2``) or in
JSON fields (``model_a``). This module reads those names and maps each seat to
the model sitting in it, named for people (``Claude 3 Opus``), keeping the seat
where both sides are the same model (``Claude 3 Opus (1)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import permutations
from pathlib import Path

# -- model names ---------------------------------------------------------------------------------

# Short names that runners put in file names and headers, for the models they stand for. Only
# names with one meaning: 'sonnet3' has meant both Claude 3 Sonnet and Claude 3.7 Sonnet, so it is
# left as written (a site's [speakers] table can name it).
ALIASES = {
    "opus": "claude-3-opus-20240229", "opus3": "claude-3-opus-20240229",
    "sonnet": "claude-3-5-sonnet-20240620", "sonnet1022": "claude-3-5-sonnet-20241022",
    "haiku": "claude-3-5-haiku-20241022", "haiku3": "claude-3-5-haiku-20241022",
    "opus4": "claude-opus-4-1", "sonnet4": "claude-sonnet-4", "sonnet45": "claude-sonnet-4-5",
    "gpt4o": "gpt-4o", "gpt5": "gpt-5", "o1": "o1-preview", "o1-mini": "o1-mini",
    "k2": "kimi-k2", "v31": "deepseek-v3.1", "v3": "deepseek-v3", "25pro": "gemini-2.5-pro",
    "gemini-1206": "gemini-exp-1206", "gemini-1121": "gemini-exp-1121", "grok4": "grok-4",
    "hermes": "hermes-4-405b", "405b-instruct": "llama-3.1-405b-instruct", "oss": "gpt-oss-120b",
}
# Whole names for ids whose pattern does not say enough: ChatGPT's own slugs (an export's
# ``model_slug``) among them, the names its model menu showed.
_KNOWN = {"claude-3-5-sonnet-20241022": "Claude 3.5 Sonnet v2", "claude-3-5-sonnet-v2-20241022": "Claude 3.5 Sonnet v2",
          "hermes-4-405b": "Hermes 4 405B",
          "text-davinci-002-render": "GPT-3.5", "text-davinci-002-render-sha": "GPT-3.5",
          "text-davinci-002-render-paid": "GPT-3.5", "text-davinci-002-render-sha-mobile": "GPT-3.5",
          "gpt-4-browsing": "GPT-4", "gpt-4-plugins": "GPT-4", "gpt-4-code-interpreter": "GPT-4",
          "gpt-4-dalle": "GPT-4", "gpt-4-gizmo": "GPT-4", "gpt-4-mobile": "GPT-4", "gpt-4o-canmore": "GPT-4o",
          "gpt-5-t-mini": "GPT-5 Thinking mini", "chatgpt-4o-latest": "ChatGPT-4o", "chatgpt-4o": "ChatGPT-4o"}
# Claude's ids name a version and a family in either order, the version with a dash or a dot
# ('claude-3-5-sonnet', 'claude-3.5-sonnet' as OpenRouter writes it, 'claude-4.5-sonnet' as Cursor
# does, 'claude-sonnet-4-5'); before Claude 3 they named no family ('claude-2.1', 'claude-instant-1.2').
_CLAUDE_OLD = re.compile(r"^claude-(\d)(?:[-.](\d))?-(opus|sonnet|haiku)(?:-\d{8}|-latest)?$")
_CLAUDE_NEW = re.compile(r"^claude-(opus|sonnet|haiku)-(\d)(?:[-.](\d))?(?:-\d{8}|-latest)?$")
_CLAUDE_EARLY = re.compile(r"^claude-(instant-)?(\d)(?:[-.](\d))?(?:-\d{3,8}|-latest)?$")
# A model's variant written after its id: the same model thinking first ('claude-3.7-sonnet:thinking'
# at OpenRouter, 'claude-4.5-sonnet-thinking' in Cursor, 'gpt-5-thinking' in ChatGPT).
_THINKING = re.compile(r"[:-]thinking$")
# OpenRouter's ways of routing a request to the same model ('claude-3-opus:beta', 'kimi-k2:free').
_ROUTING_VARIANT = re.compile(r":(?:beta|free|extended|nitro|floor|online|exacto)$")
# How OpenAI writes the words after a GPT's version ('GPT-4o mini', 'GPT-4 Turbo', 'GPT-5-Codex').
_GPT_WORDS = {"mini": " mini", "nano": " nano", "turbo": " Turbo", "pro": " pro", "thinking": " Thinking",
              "instant": " Instant", "chat": " Chat", "codex": "-Codex", "preview": " Preview"}
# OpenAI's reasoning models, whose ids are their names ('o1-preview', 'o3-mini'): a seat's 'O1 2' says less.
_OPENAI_O_SERIES = re.compile(r"o\d(?:-(?:mini|preview|pro))*")
_OLLAMA_TAG = re.compile(r"([a-z][a-z0-9.\-]*):([a-z0-9][a-z0-9.\-_]*[a-z][a-z0-9.\-_]*)")  # a tag with a letter
_DATE_SUFFIX = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$")
_SPECIAL_CASE = {"gpt": "GPT", "glm": "GLM", "deepseek": "DeepSeek", "qwen": "Qwen", "kimi": "Kimi",
                 "grok": "Grok", "gemini": "Gemini", "gemma": "Gemma", "llama": "Llama", "olmo": "Olmo",
                 "hermes": "Hermes", "mistral": "Mistral", "ministral": "Ministral", "magistral": "Magistral",
                 "codestral": "Codestral", "devstral": "Devstral", "pixtral": "Pixtral", "minimax": "MiniMax", "exp": "Exp", "pro": "Pro", "flash": "Flash",
                 "instruct": "Instruct", "preview": "Preview", "fast": "Fast", "chat": "Chat", "think": "Think"}
# Families whose models people name with a capital and spaces ("Gemini 2.5 Pro"); others keep their id.
_FAMILIES = ("gpt", "gemini", "gemma", "llama", "grok", "kimi", "deepseek", "qwen", "glm", "hermes", "mistral",
             "ministral", "magistral", "codestral", "devstral", "pixtral", "minimax")


# How cloud platforms and proxies dress a vendor's id: Amazon Bedrock's 'us.anthropic.claude-3-7-
# sonnet-20250219-v1:0' (a region, the vendor, the id, a version), Google Vertex's
# 'claude-sonnet-4@20250514' (the date after '@'), a proxy's 'google_genai.gemini-2.5-pro'.
_PLATFORM_REGION = re.compile(r"^(?:us|eu|apac|au|ca|jp|us-gov|global)\.(?=[a-z0-9_-]+\.)", re.IGNORECASE)
_PLATFORM_VENDOR = re.compile(r"^(anthropic|meta|amazon|mistral|cohere|ai21|deepseek|openai|qwen|writer|google|"
                              r"google_genai|moonshot|moonshotai)\.(?=[a-z])", re.IGNORECASE)
_PLATFORM_VERSION = re.compile(r"-v\d+:\d+$")
_VERTEX_DATE = re.compile(r"@(\d{8})$")


def _platform_id(model: str) -> str:
    """The vendor's own id inside a platform's (or the id as it was); the vendor stays in front of an
    id that does not name its family ('deepseek.r1-v1:0' is 'deepseek-r1')."""
    model = _VERTEX_DATE.sub(r"-\1", model)
    regionless = _PLATFORM_REGION.sub("", model)
    vendor = _PLATFORM_VENDOR.match(regionless)
    if vendor is None:
        return model
    bare = _PLATFORM_VERSION.sub("", regionless[vendor.end():])
    family = re.match(r"[a-z]+", bare.lower())
    return bare if family and family.group() in (*_FAMILIES, "claude") else f"{vendor.group(1)}-{bare}"


def model_name(model: str) -> str:
    """A model id or short name as people write it: 'claude-3-opus-20240229' -> 'Claude 3 Opus',
    'openai/gpt-5.2' -> 'GPT-5.2'; an id of an unknown family loses only its vendor and date."""
    plain = _ROUTING_VARIANT.sub("", _platform_id(model.strip().rsplit("/", 1)[-1]))
    key = plain.lower()
    key = ALIASES.get(key, key)
    if key in _KNOWN:
        return _KNOWN[key]
    thinking = _THINKING.search(key)
    if thinking and not key.startswith("gemini"):  # Gemini's 'flash-thinking-exp' is a name of its own
        base = key[:thinking.start()]
        named = model_name(base)
        if named != base:
            return f"{named} Thinking"
    named = _claude_name(key)
    if named:
        return named
    key = _DATE_SUFFIX.sub("", key)
    tagged = _OLLAMA_TAG.fullmatch(key)  # 'llama3.1:8b', as Ollama names a model and its size
    if tagged:
        key = tagged.group(1) if tagged.group(2) == "latest" else f"{tagged.group(1)}-{tagged.group(2)}"
    if key.startswith("meta-llama-"):
        key = key[len("meta-llama-"):].removeprefix("meta-")
    family = re.match(r"[a-z]+", key)
    if family is None or family.group() not in _FAMILIES:
        return plain if key == plain.lower() else _DATE_SUFFIX.sub("", plain)
    if family.group() == "gpt":
        return _gpt_name(key)
    words = [_word(word) for word in key.split("-") if word]
    return " ".join(words)


def _claude_name(key: str) -> str | None:
    """Claude's name as Anthropic writes it: the version after the family from Claude 4 on ('Claude
    Sonnet 4.5'), before it until then ('Claude 3.5 Sonnet'); None for an id that is not Claude's."""
    key = re.sub(r"^claude-(\d)\.(\d)-", r"claude-\1-\2-", key)
    if key in _KNOWN:
        return _KNOWN[key]
    old, new = _CLAUDE_OLD.match(key), _CLAUDE_NEW.match(key)
    if old or new:
        family, major, minor = (old.group(3), old.group(1), old.group(2)) if old else new.groups()
        version = major + (f".{minor}" if minor else "")
        if int(major) >= 4:
            return f"Claude {family.capitalize()} {version}"
        return f"Claude {version} {family.capitalize()}"
    early = _CLAUDE_EARLY.match(key)
    if early:
        version = early.group(2) + (f".{early.group(3)}" if early.group(3) else "")
        return f"Claude {'Instant ' if early.group(1) else ''}{version}"
    return None


def _gpt_name(key: str) -> str:
    """'gpt-4o-mini' -> 'GPT-4o mini', 'gpt-5-codex' -> 'GPT-5-Codex'; OpenAI writes its open-weight
    models in lower case ('gpt-oss-120b'), and a word it has no way of writing keeps its dash."""
    if not key.startswith("gpt-") or key.startswith("gpt-oss"):
        return key
    version, *words = key[4:].split("-")
    name = "GPT-" + version
    for before, word in zip(["", *words], words):
        name += f"-{word.capitalize()}" if before == "codex" else _GPT_WORDS.get(word, f"-{word}")
    return name


# The vendors of OpenRouter's model ids ('z-ai/glm-4.7'), as a script that calls models through it
# names the one it called.
_ROUTED_MODEL = re.compile(r"(?<![\w./-])(?:anthropic|openai|google|deepseek|z-ai|moonshotai|qwen|minimax|x-ai|"
                           r"mistralai|meta-llama|cohere|nousresearch|microsoft|amazon|perplexity|nvidia|openrouter|"
                           r"thudm|baidu|tencent|bytedance|inflection|ai21|01-ai|alibaba|arcee-ai|inception)/"
                           r"[a-z0-9][a-z0-9.:_-]*[a-z0-9](?![\w/])", re.IGNORECASE)


def routed_model(text: str) -> str | None:
    """The one OpenRouter model id that ``text`` (a title) names, or None for none or several."""
    found = {match.group() for match in _ROUTED_MODEL.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _word(word: str) -> str:
    if word in _SPECIAL_CASE:
        return _SPECIAL_CASE[word]
    for prefix, shown in _SPECIAL_CASE.items():
        if word.startswith(prefix) and word[len(prefix):][:1].isdigit():
            return shown + word[len(prefix):]  # 'qwen3' -> 'Qwen3'
    if re.fullmatch(r"\d+(?:\.\d+)?[bmk]", word):
        return word.upper()  # '405b' -> '405B'
    if re.fullmatch(r"[a-z]\d+(?:\.\d+)?", word):
        return word.upper()  # 'k2' -> 'K2', 'v3.2' -> 'V3.2'
    return word.capitalize() if word.isalpha() else word


# -- run file names ------------------------------------------------------------------------------

_RUN_TIME = re.compile(r"_(\d{8})_(\d{6})(?:_|$)")


@dataclass
class RunName:
    """What a run's file name (and folder) say: the models by seat, the template, when it started."""
    models: list[str] = field(default_factory=list)  # full ids where the folder gives them, else short names
    template: str = ""
    started: datetime | None = None
    topic: str = ""  # words after the time ('lucid_20250912_222536_a beautiful cat')


def run_name(path: Path, declared_models: list[str] | None = None) -> RunName | None:
    """``models_template_YYYYMMDD_HHMMSS`` (the models' count from ``declared_models`` or the folder,
    else two when there are enough parts); None for a name of another shape."""
    stem = path.stem
    found = _RUN_TIME.search(stem)
    if found is None:
        return None
    try:
        started = datetime.strptime(found.group(1) + found.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        started = None
    parts = [part for part in stem[:found.start()].split("_") if part]
    topic = stem[found.end():].strip()
    folder_ids = [part for part in path.parent.name.split("_") if _MODEL_ID.search(part)]
    if len(folder_ids) != len(path.parent.name.split("_")):
        folder_ids = []
    if declared_models:
        count = len(declared_models)
    elif 0 < len(folder_ids) < len(parts):
        count = len(folder_ids)
    else:
        count = 2 if len(parts) >= 3 else 1 if len(parts) == 2 else 0
    short, template = parts[:count], " ".join(parts[count:])
    models = declared_models or short
    if folder_ids and len(folder_ids) == len(models):
        models = _in_seat_order(models, folder_ids) or models
    return RunName(list(models), template.replace("_", " "), started, topic)


MOST_SEATS = 6  # more than a run of models has; numbered lines past it are a list
# A full model id, as folders hold them: letters and digits joined by '-' ('claude-3-opus-20240229').
_MODEL_ID = re.compile(r"^[A-Za-z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)+$")


def _in_seat_order(short: list[str], ids: list[str]) -> list[str] | None:
    """The folder's full ids in the order of the short names (folders sort them by name); None when
    some short name matches no id (the folder is named for something else), or when there are more
    ids than a run has seats (every order of ten would be millions)."""
    if len(ids) > MOST_SEATS:
        return None
    best, best_score = None, -1
    for order in permutations(ids):
        scores = [_likeness(name, model) for name, model in zip(short, order)]
        if min(scores) > 0 and sum(scores) > best_score:
            best, best_score = list(order), sum(scores)
    return best


def _likeness(short: str, model: str) -> int:
    """How many of the short name's parts ('sonnet', '1022') the full id holds."""
    model = model.lower()
    return sum(1 for part in re.findall(r"[a-z]+|\d+", short.lower()) if part in model)


# -- seats ---------------------------------------------------------------------------------------

_SEAT = re.compile(r"^(?P<stem>.*?\S)[ \t]+(?P<seat>\d{1,2})$")
# Labels that name no model ('Claude 1' in a run of Claude 3 Opus and Claude 3.5 Sonnet).
GENERIC = {"claude", "gpt", "gemini", "llama", "model", "ai", "assistant", "user", "human", "a", "b", "i-405"}


def seat_of(label: str) -> tuple[str, int] | None:
    """'Claude 2' -> ('Claude', 2); None for a label without a seat number."""
    found = _SEAT.match(label)
    if found is None:
        return None
    return found.group("stem"), int(found.group("seat"))


def seat_names(labels: list[str], models: list[str]) -> dict[str, str]:
    """For labels with a seat number (``Claude 1``), the name of the model in that seat.

    With models known, seat N is the Nth model; the seat is kept where two seats hold the same
    model. A label for a model the run does not name keeps its own words when they name a model
    (``Kimi K2 1`` -> ``Kimi K2``); labels without seats are not in the result.
    """
    seats = {label: found for label in labels if (found := seat_of(label)) is not None}
    if not seats:
        return {}
    names: dict[str, str] = {}
    models = [model for model in models if model]
    if {_squeezed(model) for model in models} & {_squeezed(label) for label in seats}:
        return {}  # 'claude1_claude2_…': the file is named for the seats, not for models
    for label, (stem, seat) in seats.items():
        if len(models) == 1 and seat >= 1:  # one model named: it sits in every seat
            names[label] = _named(models[0], stem)
        elif 1 <= seat <= len(models):
            names[label] = _named(models[seat - 1], stem)
        elif stem.lower() not in GENERIC:
            names[label] = stem
    shown = {}
    for label, name in names.items():
        clash = [other for other, other_name in names.items() if other_name == name and seats[other] != seats[label]]
        shown[label] = f"{name} ({seats[label][1]})" if clash else name
    return shown


def _squeezed(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).casefold()


def _named(model: str, stem: str) -> str:
    """The model's name, or the label's own words when the model is a short name nobody defined."""
    name = model_name(model)
    if name != model or model.lower() in ALIASES or _OPENAI_O_SERIES.fullmatch(name):
        return name
    if stem.lower() not in GENERIC:
        return stem  # 'Claude Sonnet 3' says more than 'sonnet3'
    if stem.lower() in name.lower():
        return name
    # 'Claude 1' of 'sonnet3': 'Claude Sonnet 3', as such runners label that seat themselves ('Claude
    # Sonnet 3 1'), so that both kinds of log name the model alike; which Sonnet it was stays unsaid.
    spelled = _SHORT_NAME.fullmatch(name)
    return f"{stem} {spelled.group(1).capitalize()} {spelled.group(2)}" if spelled else f"{stem} {name}"


_SHORT_NAME = re.compile(r"([a-z]{3,})(\d)")
