"""The table every benchmark prints: operation, the library's figure, the baseline's figure
measured in the same run, the ratio, the target and whether it is met."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADER = ("operation", "library", "baseline (same run)", "ratio", "target", "met")


@dataclass(frozen=True)
class Row:
    """One line of the table. `met` is None for a figure reported without a target."""

    operation: str
    library: str
    baseline: str
    ratio: str
    target: str
    met: bool | None

    def cells(self) -> tuple[str, ...]:
        verdict = "-" if self.met is None else "yes" if self.met else "NO"
        return (self.operation, self.library, self.baseline, self.ratio, self.target, verdict)


def ratio_row(
    operation: str,
    ours: float,
    theirs: float,
    baseline: str,
    *,
    limit: float | None,
    unit: str = "us",
) -> Row:
    """A row comparing two times (seconds) by their ratio; `limit` is the target ratio."""
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    ratio = ours / theirs
    return Row(
        operation,
        f"{ours * scale:.2f} {unit}",
        f"{theirs * scale:.2f} {unit} ({baseline})",
        f"{ratio:.2f}x",
        "(no target)" if limit is None else f"< {limit:g}x",
        None if limit is None else ratio < limit,
    )


def render(rows: Sequence[Row]) -> str:
    """The rows as an aligned plain-text table."""
    lines = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def all_met(rows: Sequence[Row]) -> bool:
    """True when no row with a target misses it."""
    return all(row.met is not False for row in rows)
