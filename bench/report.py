"""Benchmark of the weekly pack: `trust report --format pdf` end to end on the demo and on the scale data.

Run `.venv/bin/python bench/report.py` (also part of `make bench`). Each run is a fresh
process, as a scheduled job would be. It prints the wall time, the PDF's size and page count,
and saves pictures of the demo pack's first two pages in test-results/pack/. It never fails
on a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdf
import pypdfium2

ROOT = Path(__file__).resolve().parents[1]
SETS = {"demo": ROOT / "bench" / "data" / "demo", "scale": ROOT / "bench" / "data" / "scale"}
PICTURES = ROOT / "test-results" / "pack"


def _ensure(name: str, folder: Path) -> None:
    from trust.demo import DEMO_FORMAT, demo_format, write_demo

    if demo_format(folder) != DEMO_FORMAT:
        print(f"writing the {name} data set to {folder} (first use)")
        write_demo(folder, **({"customers": 1_000_000} if name == "scale" else {}))


def _report(extracts: Path, out: Path, state: Path) -> float:
    env = {**os.environ, "TRUST_STATE": str(state / "state.db"), "TRUST_AUDIT_KEY_FILE": str(state / "audit.key")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "trust.cli", "report", "--extracts", str(extracts), "--format", "pdf",
                    "--out", str(out)], check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def _pictures(pdf: Path) -> list[Path]:
    PICTURES.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(str(pdf))
    saved = []
    for number in range(min(2, len(document))):
        target = PICTURES / f"page-{number + 1}.png"
        document[number].render(scale=1.5).to_pil().save(target)
        saved.append(target)
    return saved


def main() -> None:
    print("trust report --format pdf, end to end in a fresh process:")
    with tempfile.TemporaryDirectory() as folder:
        for name, extracts in SETS.items():
            _ensure(name, extracts)
            out = Path(folder) / f"{name}.pdf"
            seconds = _report(extracts, out, Path(folder) / f"state-{name}")
            pages = len(pypdf.PdfReader(out).pages)
            print(f"  {name:<6} {seconds:6.2f} s   {out.stat().st_size / 1024:6.1f} KB   {pages} pages")
            if name == "demo":
                shown = ", ".join(p.relative_to(ROOT).as_posix() for p in _pictures(out))
                print(f"         first pages: {shown}")


if __name__ == "__main__":
    main()
