from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.ingest.html_text import readable_text
from index.text.offsets import SpanText, to_source


def test_identity_round_trip() -> None:
    text = "Hello world.\nSecond line."
    runs = SpanText.identity(text).runs()
    assert runs == ((0, 0, len(text), len(text)),)
    assert to_source(runs, 6, 11) == (6, 11)


def test_join_of_slices_maps_back_to_each_slice() -> None:
    source = SpanText.identity("AAA junk BBB more junk CCC")
    joined = SpanText.join([source.slice(0, 3), source.slice(9, 12), source.slice(23, 26)], "\n\n")
    assert joined.text == "AAA\n\nBBB\n\nCCC"
    runs = joined.runs()
    b = joined.text.index("BBB")
    assert to_source(runs, b, b + 3) == (9, 12)
    # A span crossing a removed region covers it in the original.
    assert to_source(runs, 0, len(joined.text)) == (0, 26)


@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=6),
    st.text(min_size=1, max_size=60),
)
def test_verbatim_spans_map_exactly(cuts: list[tuple[int, int]], text: str) -> None:
    source = SpanText.identity(text)
    parts = [source.slice(min(a, b), max(a, b)) for a, b in cuts if min(a, b) < len(text)]
    parts = [p for p in parts if p.text]
    joined = SpanText.join(parts, " ")
    runs = joined.runs()
    pos = 0
    for part in parts:
        s, e = to_source(runs, pos, pos + len(part.text))
        assert text[s:e] == part.text
        pos += len(part.text) + 1


def test_html_entities_and_whitespace_map_into_the_source() -> None:
    html = "<html><head><title>T</title></head><body><p>Fish &amp;\n   chips</p><script>x=1</script></body></html>"
    page = readable_text(html)
    extracted, fields = page.text, page.fields
    assert extracted.text.strip() == "Fish & chips"
    start = extracted.text.index("Fish")
    s, e = to_source(extracted.runs(), start, start + len("Fish & chips"))
    assert html[s:e] == "Fish &amp;\n   chips"
    assert fields["title"] == "T"
