"""antiphon.toml: every key optional, unknown keys and wrong types are errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config, ConfigError, load_config, options


def write_config(folder: Path, text: str) -> Path:
    path = folder / "antiphon.toml"
    path.write_text(text, "utf-8")
    return path


def test_no_config_file_means_defaults(tmp_path):
    config = load_config(None, tmp_path)
    assert config.title == Config.title
    assert config.content_path == (tmp_path / "content").resolve()
    assert config.output_path == (tmp_path / "site").resolve()
    assert config.base_path == "/"


def test_all_documented_keys_are_read(tmp_path):
    path = write_config(tmp_path, '''
title = "T"
description = "D"
base_url = "https://user.github.io/my-archive"
content_dir = "transcripts"
output_dir = "public"
theme = "default"
line_breaks = "markdown"
per_page = 7
collapse_repeats = 0
related = 3
language = "de"
code_style_light = "vs"
code_style_dark = "monokai"
[speaker_colors]
"Kimi K2" = "#123abc"
''')
    config = load_config(path)
    assert (config.title, config.description, config.line_breaks, config.per_page) == ("T", "D", "markdown", 7)
    assert config.base_path == "/my-archive/"
    assert config.content_path == (tmp_path / "transcripts").resolve()
    assert config.speaker_colors == {"Kimi K2": "#123abc"}
    assert (config.collapse_repeats, config.related) == (0, 3)
    assert {o.name for o in options()} == {
        "title", "description", "base_url", "cname", "content_dir", "output_dir", "theme", "line_breaks", "per_page",
        "collapse_repeats", "language", "search", "code_style_light", "code_style_dark", "speaker_colors",
        "speakers", "title_template", "auto_tags", "exclude", "follow_symlinks", "drawn_text", "redact", "downloads",
        "related"}


def test_relative_paths_resolve_against_the_config_file_not_the_cwd(tmp_path, monkeypatch):
    path = write_config(tmp_path, 'content_dir = "chats"\n')
    monkeypatch.chdir("/")
    assert load_config(path).content_path == (tmp_path / "chats").resolve()


@pytest.mark.parametrize("text, message", [
    ('titel = "typo"', "antiphon.toml: unknown key 'titel'"),
    ("per_page = \"ten\"", "antiphon.toml: 'per_page' must be int, not str"),
    ("per_page = true", "antiphon.toml: 'per_page' must be int, not bool"),
    ("per_page = 0", "antiphon.toml: 'per_page' must be at least 1"),
    ("related = -1", "antiphon.toml: 'related' must be 0 (none) or more"),
    ('line_breaks = "prose"', "antiphon.toml: 'line_breaks' must be 'verse' or 'markdown'"),
    ('base_url = "user.github.io/x"', "antiphon.toml: 'base_url' must start with http:// or https://"),
    ('[speaker_colors]\nBob = "red"', "antiphon.toml: 'speaker_colors.Bob' must be a colour like '#2a6f97'"),
    ('code_style_dark = "nope"', "antiphon.toml: 'code_style_dark' is not a Pygments style"),
    ("title = ", "invalid TOML"),
])
def test_bad_values_are_errors_naming_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(write_config(tmp_path, text + "\n"))


def test_all_problems_are_reported_at_once(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, 'a = 1\nb = 2\ntitle = 3\n'))
    assert len(str(caught.value).splitlines()) == 3


def test_command_line_overrides_win(tmp_path):
    write_config(tmp_path, 'output_dir = "public"\n')
    assert load_config(None, tmp_path, output_dir="/tmp/elsewhere").output_path == Path("/tmp/elsewhere")
