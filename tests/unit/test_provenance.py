"""Excerpts and their offsets: exact matching, helpful messages, no newline translation."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from central_asia_atlas.provenance import anchor, check_excerpt, occurrences, read_source_text

TEXT = "Astana hosted the summit. Astana is the capital.\r\nThe summit ended."


def test_check_excerpt_accepts_the_exact_slice() -> None:
    start = TEXT.index("hosted")
    assert check_excerpt(TEXT, "hosted the summit.", start, start + 18) is None


def test_check_excerpt_says_where_a_misplaced_excerpt_stands() -> None:
    start = TEXT.index("hosted")
    msg = check_excerpt(TEXT, "hosted the summit.", start + 1, start + 19)
    assert (
        msg
        == f"excerpt does not stand at {start + 1}-{start + 19}; it stands at {start}-{start + 18}"
    )


def test_check_excerpt_lists_every_place_of_a_repeated_excerpt() -> None:
    msg = check_excerpt(TEXT, "Astana", 1, 7)
    assert msg == "excerpt does not stand at 1-7; it stands at 0-6, 26-32"


def test_check_excerpt_lists_at_most_three_places() -> None:
    msg = check_excerpt("ab ab ab ab ab", "ab", 1, 3)
    assert msg == "excerpt does not stand at 1-3; it stands at 0-2, 3-5, 6-8"


def test_check_excerpt_rejects_a_changed_character() -> None:
    start = TEXT.index("hosted")
    msg = check_excerpt(TEXT, "hosted the summit!", start, start + 18)
    assert msg is not None and msg.startswith("excerpt is not in the source text")


def test_check_excerpt_does_not_fold_quotes_or_dashes() -> None:
    text = "He said \u201cno\u201d \u2014 twice."
    start = text.index("\u201c")
    assert check_excerpt(text, '"no"', start, start + 4) is not None
    assert check_excerpt(text, "\u201cno\u201d", start, start + 4) is None
    assert check_excerpt(text, "- twice", start + 5, start + 12) is not None


def test_check_excerpt_with_offsets_past_the_end() -> None:
    msg = check_excerpt(TEXT, "The summit ended.", 1000, 1017)
    start = TEXT.index("The summit ended.")
    assert msg == f"excerpt does not stand at 1000-1017; it stands at {start}-{start + 17}"


def test_occurrences_finds_overlapping_matches() -> None:
    assert occurrences("aaaa", "aa") == [0, 1, 2]
    assert occurrences("abc", "x") == []


def test_anchor_with_zero_one_and_two_occurrences() -> None:
    assert anchor(TEXT, "Bishkek") is None
    start = TEXT.index("The summit")
    assert anchor(TEXT, "The summit ended.") == (start, start + 17)
    assert anchor(TEXT, "Astana") is None  # twice: ambiguous, set by hand


def test_read_source_text_keeps_crlf_and_offsets(tmp_path: Path) -> None:
    raw = "Line one \u2014 caf\u00e9.\r\nLine two.\r\n".encode()
    path = tmp_path / "doc.txt"
    path.write_bytes(raw)
    text = read_source_text(path)
    assert text == raw.decode("utf-8")
    assert "\r\n" in text
    where = anchor(text, "Line two.")
    assert where == (
        len("Line one \u2014 caf\u00e9.\r\n"),
        len("Line one \u2014 caf\u00e9.\r\nLine two."),
    )
    # offsets count characters of the decoded text, not bytes
    assert where[0] != raw.index(b"Line two.")
    assert check_excerpt(text, "Line two.", *where) is None
    # what a newline-translating read would shift
    translated = path.read_text(encoding="utf-8")
    assert translated[where[0] : where[1]] != "Line two."


def test_read_source_text_keeps_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHello")
    assert read_source_text(path) == "\ufeffHello"


texts = st.text(alphabet=st.sampled_from("ab \r\n\u2014\u2019\u00e9."), max_size=60)


@given(texts, st.data())
def test_any_slice_checks_and_anchors_round_trip(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, max(len(text) - 1, 0)))
    end = data.draw(st.integers(start + 1, len(text) + 1))
    excerpt = text[start:end]
    if not excerpt:
        return
    assert check_excerpt(text, excerpt, start, start + len(excerpt)) is None
    found = occurrences(text, excerpt)
    assert start in found
    assert all(text[i : i + len(excerpt)] == excerpt for i in found)
    where = anchor(text, excerpt)
    if len(found) == 1:
        assert where == (start, start + len(excerpt))
    else:
        assert where is None
        msg = check_excerpt(text, excerpt, start + 1, start + 1 + len(excerpt))
        if text[start + 1 : start + 1 + len(excerpt)] != excerpt:
            assert msg is not None and "it stands at" in msg


@given(texts, texts)
def test_an_excerpt_not_in_the_text_is_never_accepted(text: str, excerpt: str) -> None:
    if not excerpt or excerpt in text:
        return
    for start in (0, len(text) // 2):
        msg = check_excerpt(text, excerpt, start, start + len(excerpt))
        assert msg is not None and msg.startswith("excerpt is not in the source text")
    assert anchor(text, excerpt) is None
