"""Figures on the shape of the code, for reviews: lines per app, the largest
modules, database writes outside services, reads that bypass selectors in
views, status strings compared in templates, test lines per code line.

    python scripts/house_metrics.py

It reads files as text and changes nothing."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "agencies", "conferences", "documents", "indices", "notifications", "submissions", "demo", "config"]
WRITE = re.compile(
    r"\.objects\b.*\.(update|bulk_create|bulk_update|create|get_or_create|update_or_create|delete)\("
    r"|(?<!super\(\))\.save\((update_fields=[^)]*)?\)|default_storage\.(save|delete)\(|\b\w+\.delete\(\)"
)
# A model's manager read directly in a view: Model.objects… or get_object_or_404(Model, …).
DIRECT_READ = re.compile(r"\b[A-Z]\w+\.objects\b|get_object_or_404\(\s*[A-Z]\w+\b")
STATUS_COMPARE = re.compile(r"{%[^%]*\b(\w*status|reply|state)\b\s*(==|!=|in)\s*['\"]")


def tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / line for line in out.splitlines() if line and (ROOT / line).exists()]


def code_lines(path: Path) -> int:
    return sum(
        1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.strip().startswith("#")
    )


def is_code(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "migrations" not in parts and parts[0] not in ("tests", "bench", "scripts")


def in_services(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "services" in parts or path.name == "services.py" or parts[0] in ("demo",) or path.name == "demo.py"


def main() -> None:
    python = tracked("*.py")
    code = [p for p in python if is_code(p)]
    tests = [p for p in python if p.relative_to(ROOT).parts[0] == "tests"]
    per_app = Counter()
    for path in code:
        per_app[path.relative_to(ROOT).parts[0]] += code_lines(path)
    print("== lines of Python per app (no blank, comment, migration)")
    for app, n in per_app.most_common():
        print(f"{app:16} {n:6}")
    print("== largest modules")
    for path in sorted(code, key=code_lines, reverse=True)[:10]:
        print(f"{code_lines(path):5} {path.relative_to(ROOT)}")
    writes = []
    for path in code:
        if in_services(path) or path.relative_to(ROOT).parts[0] == "config":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            stripped = line.strip()
            if (
                WRITE.search(line)
                and not stripped.startswith(("#", '"', "def "))
                and "form.save(commit=False)" not in line
            ):
                writes.append(f"{path.relative_to(ROOT)}:{number}: {stripped[:100]}")
    print(f"== database writes outside services: {len(writes)}")
    for row in writes:
        print("  ", row)
    reads = []
    for path in code:
        rel = path.relative_to(ROOT)
        if rel.name != "views.py" and "views" not in rel.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if DIRECT_READ.search(line):
                reads.append(f"{rel}:{number}: {line.strip()[:100]}")
    print(f"== direct model reads in views (not through a selector): {len(reads)}")
    for row in reads:
        print("  ", row)
    compares = []
    for path in tracked("*.html", "*.txt"):
        if "templates" not in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            compares += [f"{path.relative_to(ROOT)}:{number}" for _ in STATUS_COMPARE.finditer(line)]
    print(f"== status strings compared in templates: {len(compares)}")
    total_code = sum(per_app.values())
    total_tests = sum(code_lines(p) for p in tests)
    print(f"== test lines per code line: {total_tests} / {total_code} = {total_tests / total_code:.2f}")
    long_lines = sum(1 for p in python for line in p.read_text(encoding="utf-8").splitlines() if len(line) > 120)
    print(f"== Python lines over 120 characters: {long_lines}")
    templates = [p for p in tracked("*.html") if "templates" in p.parts]
    longest = max((len(line), p) for p in templates for line in p.read_text(encoding="utf-8").splitlines())
    print(f"== longest template line: {longest[0]} ({longest[1].relative_to(ROOT)})")


if __name__ == "__main__":
    main()
