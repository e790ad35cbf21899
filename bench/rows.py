"""One measured figure beside its baseline and its target, as ``targets.py`` prints it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One measured figure beside its baseline and its target."""

    name: str
    value: float
    unit: str
    baseline: float | None
    passed: bool | None
    target: str

    def line(self) -> str:
        ratio = f"{self.value / self.baseline:7.1f}x" if self.baseline else " " * 8
        base = f"{self.baseline:10.1f} {self.unit:<2}" if self.baseline is not None else " " * 13
        verdict = {True: "PASS", False: "FAIL", None: ""}[self.passed]
        return (
            f"  {self.name:<48} {self.value:9.1f} {self.unit:<2} {base} {ratio}  "
            f"{self.target:<14} {verdict}"
        )
