"""A message's language, told by its script (generator/language.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from generator.language import language_of

KNOWN = {"", "zh", "ja", "ko", "ru", "uk", "be", "bg", "sr", "mk", "ar", "fa", "ur", "el", "he", "hy", "ka", "th",
         "lo", "km", "si", "ta", "te", "kn", "ml", "gu", "pa", "am", "my"}


@pytest.mark.parametrize("text, language", [
    ("Мы считаем приливы по таблице, которую нашли в порту.", "ru"),
    ("Ми рахуємо припливи за таблицею, яку знайшли в порту.", "uk"),  # є, і: not Russian
    ("Мы лічым прылівы па табліцы, якую знайшлі ў порце.", "be"),  # ў
    ("Аз съм в пристанището и броим приливите по таблицата.", "bg"),  # ъ, and no ы or э
    ("Рачунамо плиме по табели коју смо нашли у луци, ћутећи.", "sr"),  # ћ
    ("Ги броиме плимите според табелата што ја најдовме во пристаништето, ќе видиме.", "mk"),  # ќ
    ("Толқындарды айлақтан тапқан кесте бойынша санаймыз.", ""),  # Kazakh's own letters: not told
    ("نحسب المد والجزر من الجدول الذي وجدناه في الميناء.", "ar"),
    ("ما جزر و مد را از جدولی که در بندر پیدا کردیم می‌شماریم.", "fa"),  # پ, ی
    ("ہم بندرگاہ میں ملنے والی میز سے جوار بھاٹا گنتے ہیں۔", "ur"),  # ں, ٹ
    ("Μετράμε την παλίρροια από τον πίνακα του λιμανιού.", "el"),
    ("אנחנו סופרים את הגאות לפי הטבלה מהנמל.", "he"),
    ("เรานับน้ำขึ้นน้ำลงจากตารางที่ท่าเรือ", "th"),
    ("我们根据港口找到的表格计算潮汐。", "zh"),
    ("港で見つけた表で潮の満ち引きを数えます。", "ja"),
    ("항구에서 찾은 표로 조수를 계산합니다.", "ko"),
    ("हम बंदरगाह की तालिका से ज्वार गिनते हैं।", ""),  # Devanagari: Hindi, Marathi or Nepali
    ("The harbour master wrote Привет on the board, once, in this long English sentence.", ""),
    ("Nous comptons les marées, déjà.", ""),  # Latin-script languages are not guessed at
    ("π ≈ 3.14 and r² too", ""), ("Да.", ""), ("", ""),
])
def test_a_text_written_in_a_script_one_language_uses_says_that_language(text, language):
    assert language_of(text, "en") == language


def test_the_sites_own_language_is_not_repeated():
    assert language_of("Мы считаем приливы по таблице.", "ru") == ""
    assert language_of("Мы считаем приливы по таблице.", "ru-RU") == ""
    assert language_of("Мы считаем приливы по таблице.", "uk") == "ru"
    assert language_of("我们根据港口找到的表格计算潮汐。", "zh-Hans") == ""


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["en", "ru", "zh-Hans", "fa"]))
def test_any_text_gets_a_known_language_or_none(text, site):
    assert language_of(text, site) in KNOWN


def test_right_to_left_languages_and_text():
    from generator.language import direction, mostly_left_to_right
    assert [direction(language) for language in ("ar", "he-IL", "fa", "ur", "en", "zh-Hans", "")] == \
        ["rtl", "rtl", "rtl", "rtl", "", "", ""]
    assert mostly_left_to_right("When is the high tide?")
    assert not mostly_left_to_right("المد العالي في الميناء")
    assert not mostly_left_to_right("Ada: המים עולים בשש בערב")  # a name in Latin letters, the rest Hebrew
    assert not mostly_left_to_right("12:00 — …")  # no letters at all
