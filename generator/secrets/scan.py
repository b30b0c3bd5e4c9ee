"""The secrets scan of a whole content folder, without building: ``antiphon check --secrets`` and
``antiphon deploy --no-build``."""

from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.diagnostics import Diagnostic, SourceError
from generator.readers import JSON_SUFFIXES
from generator.readers.clean import decode
from generator.secrets import Redaction, is_finding
from generator.sources import Exclusions, discover


def scan_content(config: Config, folder: Path | None = None) -> tuple[int, list[Diagnostic]]:
    """(files scanned, the possible secrets left in them after redaction), as the build reports them.
    Raises ContentError when the folder cannot be listed."""
    folder = folder or config.content_path
    redaction = Redaction.of(config.redact)
    files = discover(folder, Exclusions(config.exclude, folder), config.follow_symlinks).files
    findings = []
    for file in files:
        shown = f"{folder.name}/{file.relative}"
        try:
            text, _ = decode(shown, Path(file.path).read_bytes())
        except (OSError, SourceError):
            continue  # the build reports a file it cannot read; there is nothing in it to publish
        _, problems = redaction.apply(text, shown, json_text=Path(file.path).suffix.lower() in JSON_SUFFIXES)
        findings += [problem for problem in problems if is_finding(problem)]
    return len(files), findings
