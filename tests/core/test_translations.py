"""Indonesian is the default language, so every visible string must have an Indonesian translation."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHOD_MAP = [("marketplace/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**": {"extensions": ""}}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_visible_string_has_an_indonesian_translation():
    with open(ROOT / "translations/id/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string))
                  and not m.fuzzy}
    missing = sorted(_source_messages() - translated)
    assert missing == [], (f"{len(missing)} strings lack Indonesian (run `make messages`, then translate): "
                           f"{missing[:20]}")
