"""Swedish first, English available: the catalogue is complete, compiled and in step with the code."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.PACKAGE_DIR) / "locale" / "en" / "LC_MESSAGES"


def read_po(path: Path) -> dict[str, dict[str, str]]:
    """msgid -> {"msgstr": ..., "fuzzy": ...} for a .po file (enough of the format for our catalogue).

    An entry with a context (pgettext) is keyed as the compiled catalogue keys it: "context\x04msgid"."""
    entries: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    key = None
    fuzzy = False

    def flush() -> None:
        nonlocal current, fuzzy
        if current.get("msgid"):
            context = current.get("msgctxt")
            entries[f"{context}\x04{current['msgid']}" if context else current["msgid"]] = {
                **current,
                "fuzzy": str(fuzzy),
            }
        current, fuzzy = {}, False

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            flush() if "msgid" in current else None
            key = "msgctxt"
            current[key] = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            flush() if "msgid" in current else None
            key = "msgid"
            current[key] = ast.literal_eval(line[6:])
        elif line.startswith(("msgid_plural ", "msgstr ", "msgstr[")):
            key, _space, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip():
            flush()
            key = None
    flush()
    return entries


def test_every_string_has_an_english_translation():
    entries = read_po(LOCALE / "django.po")
    assert len(entries) > 100
    missing = [m for m, e in entries.items() if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [m for m, e in entries.items() if e["fuzzy"] == "True"]
    assert not missing, f"{len(missing)} strängar saknar engelsk översättning, t.ex. {missing[:5]}"
    assert not fuzzy, f"osäkra (fuzzy) översättningar: {fuzzy[:5]}"


def test_the_compiled_catalogue_matches_the_po_file():
    entries = read_po(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [m for m, e in entries.items() if "msgstr" in e and compiled.gettext(m) != e["msgstr"]]
    assert not stale, f"django.mo är inte kompilerad från django.po: {stale[:5]} (kör make messages)"


def test_the_catalogue_is_in_step_with_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) saknas, och i CI ska katalogen kontrolleras.")
        pytest.skip("GNU gettext (xgettext) saknas: katalogens aktualitet kontrolleras inte.")
    copy = tmp_path / "trygg"
    shutil.copytree(settings.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "tests"))
    subprocess.run(
        [
            str(Path(sys.executable).parent / "django-admin"),
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "trygg.settings"},
    )
    fresh = set(read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = set(read_po(LOCALE / "django.po"))
    assert fresh - committed == set(), (
        f"strängar i koden som saknas i katalogen (kör make messages): {sorted(fresh - committed)[:10]}"
    )
    assert committed - fresh == set(), (
        f"strängar i katalogen som inte längre finns i koden: {sorted(committed - fresh)[:10]}"
    )


def test_swedish_is_the_default_whatever_the_browser_says(client, db):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Trygghetskameror i kommunen" in page
    assert '<html lang="sv">' in page


def test_english_when_chosen(client, db):
    client.post("/sprak/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Trygghetskameror i kommunen" not in page


def test_the_admin_speaks_swedish(client_for):
    page = client_for("officer").get("/admin/").content.decode()
    assert "Lägg till" in page and "Platser" in page and "Kameror" in page


def test_the_language_menu_names_each_language_in_its_own_words(client_for):
    # New users saw "svenska" beside "Engelska": Django's Swedish name for English, capitalised unlike
    # its neighbour. Each option now stands alone in its own language, capitalised as a menu item.
    for language in ("sv", "en"):
        client = client_for("officer")
        client.post("/sprak/", {"language": language, "next": "/"})
        for url in ("/", "/konto/paminnelser/"):
            page = client.get(url).content.decode()
            options = re.findall(r'<option value="(sv|en)"[^>]*>([^<]*)</option>', page)
            assert ("sv", "Svenska") in options and ("en", "English") in options, (url, options)
            assert "Engelska" not in page and ">svenska<" not in page
