"""The session-ended warning of an autosaved form (applications/_autosave.html) tells the user
to press 保存草稿: every form that includes it must have a button of that name."""

import pathlib
import re

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"
INCLUDE = '{% include "applications/_autosave.html" %}'


def test_every_autosaved_form_has_the_button_its_warning_names():
    warning = (TEMPLATES / "applications" / "_autosave.html").read_text(encoding="utf-8")
    assert "“保存草稿”" in warning
    pages = [path for path in TEMPLATES.rglob("*.html") if INCLUDE in path.read_text(encoding="utf-8")]
    assert len(pages) >= 3
    for path in pages:
        source = path.read_text(encoding="utf-8")
        assert re.search(r"<button[^>]*>\s*(<i[^>]*></i>\s*)?保存草稿\s*</button>", source), path
