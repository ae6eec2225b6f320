"""Map character offsets of derived text (extracted, cleaned) back to the original file.

Derived text is built character by character from the original; each derived character
remembers the source span it came from. Runs of characters copied verbatim compress to one
run, so a plain-text article with a few boilerplate lines removed needs a handful of runs.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence

Run = tuple[int, int, int, int]  # (derived_start, source_start, derived_len, source_len)
_OFFSET = "q"  # offsets as machine integers: 8 bytes a character, where a list of ints took 36


def offsets(values: Iterable[int] = ()) -> array[int]:
    """Per-character source offsets, stored compactly (a 5 MB text's two lists took 382 MB)."""
    return values if isinstance(values, array) else array(_OFFSET, values)


class SpanText:
    """Text plus, for each character, the [start, end) span in the source it stands for."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: Iterable[int], ends: Iterable[int]) -> None:
        self.text, self.starts, self.ends = text, offsets(starts), offsets(ends)
        if not len(text) == len(self.starts) == len(self.ends):
            raise ValueError("every character needs one source span")

    @classmethod
    def identity(cls, text: str) -> SpanText:
        n = len(text)
        return cls(text, range(n), range(1, n + 1))

    def slice(self, start: int, end: int) -> SpanText:
        return SpanText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    @classmethod
    def join(cls, parts: Sequence[SpanText], separator: str) -> SpanText:
        """Concatenate parts; separator characters point at the end of the part before."""
        text: list[str] = []
        starts, ends = offsets(), offsets()
        for i, part in enumerate(parts):
            if i:
                anchor = ends[-1] if ends else 0
                text.append(separator)
                starts.extend([anchor] * len(separator))
                ends.extend([anchor] * len(separator))
            text.append(part.text)
            starts.extend(part.starts)
            ends.extend(part.ends)
        return cls("".join(text), starts, ends)

    def runs(self) -> tuple[Run, ...]:
        """Compress per-character spans into runs of verbatim copies."""
        out: list[list[int]] = []
        for i, (s, e) in enumerate(zip(self.starts, self.ends, strict=True)):
            verbatim = e == s + 1
            if out and verbatim and out[-1][2] == out[-1][3] and s == out[-1][1] + out[-1][3]:
                out[-1][2] += 1
                out[-1][3] += 1
            else:
                out.append([i, s, 1, e - s])
        return tuple((a, b, c, d) for a, b, c, d in out)


def to_source(runs: Sequence[Run], start: int, end: int) -> tuple[int, int]:
    """Source span covering derived text [start, end)."""
    if not runs or end <= start:
        return (0, 0)
    starts = [r[0] for r in runs]
    first = runs[max(0, bisect_right(starts, start) - 1)]
    last = runs[max(0, bisect_right(starts, end - 1) - 1)]
    return (_point(first, start, at_end=False), _point(last, end - 1, at_end=True))


def _point(run: Run, pos: int, *, at_end: bool) -> int:
    derived_start, source_start, derived_len, source_len = run
    if derived_len == source_len:  # verbatim: offsets move together
        return source_start + (pos - derived_start) + (1 if at_end else 0)
    return source_start + source_len if at_end else source_start
