"""core.printing: what every process that prints shares."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_worker_process_loads_weasyprint_and_its_fonts_as_it_starts():
    """The pool's processes are warmed by Celery's signals: WeasyPrint in
    the process they are forked from, the fonts in each, so the first
    document after a start does not wait for them. Run in a process of its
    own, which has loaded neither."""
    code = "\n".join(
        [
            "import sys",
            "from celery.signals import worker_process_init",
            "import config.celery",
            "from config.celery import _load_printing",
            "from core import printing",
            "assert 'weasyprint' not in sys.modules",
            "_load_printing()",
            "assert 'weasyprint' in sys.modules and printing.fonts.cache_info().currsize == 0",
            "worker_process_init.send(sender=None)",
            "assert printing.fonts.cache_info().currsize == 1",
            "assert 'fontTools.subset' in sys.modules  # the embedding a first PDF needs",
            "print('warm')",
        ]
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("warm")
