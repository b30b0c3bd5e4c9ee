"""The language a message is written in, where its script tells (for its ``lang`` attribute).

A page carries the site's language. A message written in another is marked with its own, so that a
screen reader reads it in that language and a browser draws its characters in that language's forms.
Only what the script shows is told: Latin-script languages (French, German…) are not guessed at.
Chinese, Japanese and Korean are told apart by kana and hangul; Cyrillic languages by the letters
only some of them use; Arabic-script ones by Persian's and Urdu's own letters. A script several
languages share without such letters (Devanagari: Hindi, Marathi, Nepali) is left unmarked.
"""

from __future__ import annotations

import re
from functools import cache

# Scripts written by one language (or, for Hebrew, one in practice): the script's ranges and its language.
_SCRIPTS = {"el": "\u0370-\u03ff\u1f00-\u1fff", "he": "\u0590-\u05ff", "hy": "\u0530-\u058f", "ka": "\u10a0-\u10ff",
            "th": "\u0e00-\u0e7f", "lo": "\u0e80-\u0eff", "km": "\u1780-\u17ff", "si": "\u0d80-\u0dff",
            "ta": "\u0b80-\u0bff", "te": "\u0c00-\u0c7f", "kn": "\u0c80-\u0cff", "ml": "\u0d00-\u0d7f",
            "gu": "\u0a80-\u0aff", "pa": "\u0a00-\u0a7f", "am": "\u1200-\u137f", "my": "\u1000-\u109f"}
_CYRILLIC = "\u0400-\u04ff"
_ARABIC = "\u0600-\u06ff\u0750-\u077f"
_KANA = "\u3040-\u30ff\u31f0-\u31ff"
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# The scripts this module tells, by name; a message's letters of them are found in one scan (in C), and
# only those are looked at one by one: most messages hold none, but many Latin letters.
_RANGES = {**_SCRIPTS, "cyrillic": _CYRILLIC, "arabic": _ARABIC, "kana": _KANA, "hangul": _HANGUL, "han": _HAN}


@cache
def _other_letter() -> re.Pattern:
    """Any letter of those scripts (compiled when first needed: a few milliseconds at each start-up
    otherwise, and an edit's build starts often)."""
    return re.compile(f"[{''.join(_RANGES.values())}]")


@cache
def _scripts() -> list[tuple[re.Pattern, str]]:
    """Each script's pattern, made when a message first holds such letters."""
    return [(re.compile(f"[{ranges}]"), name) for name, ranges in _RANGES.items()]
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_EAST_ASIAN = ("kana", "hangul", "han")
# Cyrillic letters only some languages use, in the order they are looked for (Belarusian's ў before
# the і it shares with Ukrainian). Letters past these (Kazakh's, Mongolian's…) leave a text untold.
_CYRILLIC_LANGUAGES = (("be", "ў"), ("uk", "єїґі"), ("mk", "ѓќѕ"), ("sr", "ђћ"), ("ru", "ыэё"), ("bg", "ъ"))
_CYRILLIC_OTHERS = re.compile("[\u0492-\u04ff]")
# Arabic-script letters past Arabic's own: Urdu's, then Persian's; any others (Pashto's, Kurdish's,
# Uyghur's…) leave a text untold.
_ARABIC_EXTENDED = re.compile("[\u0671-\u06ff\u0750-\u077f]")
_URDU = re.compile("[ٹڈڑں]")
_PERSIAN = "پچژگکی"


def language_of(text: str, site_language: str) -> str:
    """The language of ``text`` when its script tells and it is not the site's (``site_language``,
    as 'en' or 'zh-Hans'); else ""."""
    if text.isascii():
        return ""
    letters = "".join(_other_letter().findall(text))
    latin = len(_LATIN_LETTER.findall(text)) if letters else 0
    if not letters or 4 * len(letters) < latin:  # mostly Latin (a character says more than a letter does)
        return ""
    counts = {name: len(script.findall(letters)) for script, name in _scripts()}
    east_asian = sum(counts.get(name, 0) for name in _EAST_ASIAN)
    if east_asian and 4 * east_asian >= latin:  # a character says more than a letter does
        language = "ja" if counts.get("kana") else "ko" if 2 * counts.get("hangul", 0) > east_asian else "zh"
    else:
        script = max((name for name in counts if name not in _EAST_ASIAN), key=counts.get)
        if counts[script] <= max(latin, 2):  # a letter or two ('π r²') says nothing of the language
            return ""
        language = script if script in _SCRIPTS else _cyrillic(text) if script == "cyrillic" else _arabic(text)
    return "" if language == site_language.split("-")[0].lower() else language


def _cyrillic(text: str) -> str:
    lower = text.lower()
    if _CYRILLIC_OTHERS.search(lower):
        return ""
    return next((language for language, letters in _CYRILLIC_LANGUAGES if any(letter in lower for letter in letters)), "")


def _arabic(text: str) -> str:
    extended = set(_ARABIC_EXTENDED.findall(text))
    if not extended:
        return "ar"
    if _URDU.search(text):
        return "ur"
    return "fa" if extended <= set(_PERSIAN) else ""


RIGHT_TO_LEFT = {"ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "ku", "dv"}
_RTL_SCRIPTS = "\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RTL_LETTER = re.compile(f"[{_RTL_SCRIPTS}]")
_LTR_LETTER = re.compile(f"[^\\W\\d_{_RTL_SCRIPTS}]")


def direction(language: str) -> str:
    """'rtl' for a language written right to left ('ar', 'he-IL'), else ''."""
    return "rtl" if language.split("-")[0].lower() in RIGHT_TO_LEFT else ""


def mostly_left_to_right(text: str) -> bool:
    """Are most of the text's letters of scripts written left to right? (A message in English on a
    page in Arabic, say.)"""
    return len(_LTR_LETTER.findall(text)) > len(_RTL_LETTER.findall(text))
