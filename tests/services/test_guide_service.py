"""The guide use case: a ticked step stays ticked, and "Print my situation" in both languages."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from services import guide
from services.app import Services
from services.demo import build_demo
from services.errors import UserError
from tests.documents.pdftools import flat, fonts, lines_starting_with_closing_punctuation, pdf_text

AS_OF = date(2026, 11, 23)


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "demo.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


def test_a_ticked_step_survives_reopening_the_database(demo_db):
    with Services.open(demo_db) as svc:
        assert not any(s.done for s in guide.make_guide(svc, AS_OF).steps)
        guide.set_step_done(svc, "budget", True)
        guide.set_step_done(svc, "legal_help", True)
        guide.set_step_done(svc, "legal_help", False)
    with Services.open(demo_db) as svc:
        steps = guide.make_guide(svc, AS_OF).steps
        assert [s.key for s in steps if s.done] == ["budget"]
        with pytest.raises(UserError, match="no_such_step"):
            guide.set_step_done(svc, "no_such_step", True)


def test_the_guide_reads_one_snapshot_and_changes_nothing(demo_db):
    with Services.open(demo_db) as svc:
        before = (svc.list_debts(), svc.list_payments(), svc.list_contacts())
        guide.make_guide(svc, AS_OF)
        assert (svc.list_debts(), svc.list_payments(), svc.list_contacts()) == before


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_print_my_situation(demo_db, tmp_path, lang):
    out = tmp_path / f"situation-{lang}.pdf"
    with Services.open(demo_db) as svc:
        guide.set_step_done(svc, "records", True)
        found = guide.make_guide(svc, AS_OF)
        guide.write_guide_pdf(svc, AS_OF, lang, out)
    text = flat(pdf_text(out))
    home = next(a for a in found.answers if a.topic == "hometown_visit")
    # Every answer's question and its first sentence are on paper, in the chosen language.
    for answer in found.answers:
        assert flat(guide.question_text(answer, lang)) in text
        first = guide.render_line(answer.lines[0], lang)
        assert flat(first)[:40] in text
    assert flat(guide.render_line(home.lines[1], lang)) in text  # "This holds for 京东金融 …"
    for step in found.steps:
        assert flat(guide.render_line(step.action, lang))[:30] in text
    if lang == "zh_CN":
        assert "他们会来我的户籍地吗" in text and "这适用于京东金融" in text and "下一步怎么做" in text
    else:
        assert "Willtheycometomyhometown(户籍地)" in text and "Thisholdsfor京东金融" in text
    assert all(embedded == "yes" for _name, embedded in fonts(out))
    assert lines_starting_with_closing_punctuation(out) == []
    png = tmp_path / f"page-{lang}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out), str(png)], check=True)
    assert (tmp_path / f"page-{lang}-1.png").stat().st_size > 10_000
