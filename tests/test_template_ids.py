"""Ids written into pages go unlocalized: Vietnamese figures put a dot
every three digits (USE_THOUSAND_SEPARATOR), and an id of 1234 written as
"1.234" into a link, a field's name or a form value matches nothing once a
table passes a thousand rows."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# {{ x.pk }}, {{ x.id }}, {{ x.agency_id }}, {{ page_obj.next_page_number }}
# without a filter; {% url %} arguments are not localized.
BARE_ID = re.compile(r"\{\{\s*[\w.]*(?:\.pk|\.id|_id|page_number)\s*\}\}")


def templates():
    for path in ROOT.rglob("*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts or "staticfiles" in path.parts:
            continue
        yield path


def test_no_template_writes_an_id_localized():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for match in BARE_ID.finditer(line)
        if not match.group(0).endswith(("auto_id }}", "form.id }}"))
    ]
    assert found == []


def test_the_scan_finds_a_bare_id():
    assert BARE_ID.search('<a href="?dong={{ form.instance.pk }}">')
    assert BARE_ID.search("{{ row.agency_id }}")
    assert not BARE_ID.search("{{ form.instance.pk|unlocalize }}")


def test_every_template_compiles():
    # A filter used without its {% load %} fails only on the page that uses it.
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template

    broken = []
    for path in templates():
        parts = path.relative_to(ROOT).parts
        if "templates" not in parts:
            continue
        name = "/".join(parts[parts.index("templates") + 1 :])
        try:
            get_template(name)
        except TemplateSyntaxError as error:
            broken.append(f"{name}: {error}")
    assert broken == []
