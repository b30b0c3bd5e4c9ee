"""One module per CLI verb; each exposes ``run(args) -> exit status``."""

from __future__ import annotations

from pathlib import Path

from generator.config import Config, ConfigError, load_config


def config_from_args(args) -> Config:
    """The config file plus command-line overrides (paths given on the command line are cwd-relative)."""
    overrides = {
        "content_dir": str(args.content.resolve()) if getattr(args, "content", None) else None,
        "output_dir": str(args.out.resolve()) if getattr(args, "out", None) else None,
        "base_url": getattr(args, "base_url", None),
        "search": False if getattr(args, "no_search", False) else None,
    }
    return load_config(args.config, Path.cwd(), **overrides)


__all__ = ["config_from_args", "ConfigError"]
