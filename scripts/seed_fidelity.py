"""How much of each seed document the demo data reproduces: the share of the
seed's lines found word for word in the PDF the portal renders (whitespace
flattened). Run after `seed_demo` on the same database:

    DJANGO_SETTINGS_MODULE=config.settings.local python scripts/seed_fidelity.py
"""

import io
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

import pdfplumber  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from documents import rendering  # noqa: E402
from documents.models import Document  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
PURPOSES = {"001": "invitation", "002": "improvement_plan", "004": "plan"}


def flat(text: str) -> str:
    # Bold and italic markers of the seeds' text are formatting in the PDF.
    return " ".join(text.replace("\u00a0", " ").replace("*", "").split())


def page_text(page) -> str:
    """A page's text without the page number printed above it (pages 2 on),
    which would otherwise land inside a paragraph running over the break."""
    lines = (page.extract_text() or "").splitlines()
    if lines and lines[0].strip().isdigit():
        lines = lines[1:]
    return "\n".join(lines)


def main():
    for seed, purpose in PURPOSES.items():
        path = next(SEEDS.glob(f"{seed}_*.txt"))
        lines = [flat(line) for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if len(line) > 3]
        with scopes_disabled():
            document = Document.objects.filter(purpose=purpose).order_by("pk").first()
            pdf = rendering.write_pdf(rendering.print_html(document))
        with pdfplumber.open(io.BytesIO(pdf)) as handle:
            text = flat(" ".join(page_text(page) for page in handle.pages))
        found = [line for line in lines if line in text]
        print(f"seed_{seed}: {len(found)}/{len(lines)} lines ({100 * len(found) / len(lines):.1f}%)")
        if "-v" in sys.argv:
            for line in lines:
                if line not in text:
                    print("   missing:", line[:110])


if __name__ == "__main__":
    main()
