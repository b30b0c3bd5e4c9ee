"""bench/compare.py's arithmetic: the sign test and the round-by-round report."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from compare import report, sign_test  # noqa: E402


@pytest.mark.parametrize("wins, rounds, expected", [
    (0, 5, 2 / 32),  # five of five one way: 2 × (1/2)^5
    (5, 5, 2 / 32),
    (2, 10, 2 * (1 + 10 + 45) / 1024),
    (10, 20, 1.0),  # even: no evidence either way (capped at 1)
    (0, 0, 1.0),
])
def test_sign_test(wins, rounds, expected):
    assert sign_test(wins, rounds) == pytest.approx(expected)


def test_report_pairs_rounds_and_counts_wins():
    # The candidate is faster in three rounds of four, by 0.1 s at the median of the differences.
    line = report("one edit, wall", [1.0, 1.2, 1.4, 1.2], [0.9, 1.1, 1.5, 1.1])
    assert "base   1.200" in line and "candidate   1.100" in line
    assert "difference  -0.100 s" in line
    assert "candidate faster in 3 of 4 rounds" in line
    assert f"p = {sign_test(3, 4):.3f}" in line


def test_report_leaves_ties_out_of_the_count():
    line = report("cold, cpu", [2.0, 2.0, 3.0], [2.0, 1.0, 2.5])
    assert "candidate faster in 2 of 2 rounds" in line


def test_edit_case_changes_one_letter_in_the_middle(tmp_path):
    from compare import edit_case
    text = "# T\n\n" + "the start of it, " * 20 + "and the end of the story\n"
    (tmp_path / "a.md").write_text(text, "utf-8")
    edit_case(tmp_path, 0)
    edited = (tmp_path / "a.md").read_text("utf-8")
    assert len(edited) == len(text) and edited.lower() == text.lower()
    changed = [i for i, (a, b) in enumerate(zip(text, edited)) if a != b]
    assert len(changed) == 1 and changed[0] > len(text) // 2 and edited[changed[0]] == "T"
