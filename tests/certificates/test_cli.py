"""The certificates command: a PDF file, clear messages and exit code 1 on bad arguments."""

from pypdf import PdfReader


def test_writes_the_certificates_of_one_school(contest, runner, tmp_path):
    target = tmp_path / "urkunden.pdf"
    result = runner.invoke(
        args=[
            "certificates",
            "--competition",
            str(contest["comp"].id),
            "--school",
            str(contest["schools"]["weiss"].id),
            "--kind",
            "prizes",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "2 Urkunden geschrieben" in result.output
    pages = [p.extract_text() for p in PdfReader(target).pages]
    assert len(pages) == 2 and "Änne Groß" in pages[0] and "Jörg Weiß" in pages[1]


def test_bad_arguments_exit_with_1_and_say_why(contest, runner, tmp_path):
    cid = str(contest["comp"].id)
    out = str(tmp_path / "x.pdf")
    cases = [
        (["--competition", "9999", "-o", out], "Einen Wettbewerb mit der ID 9999 gibt es nicht"),
        (["-o", out], "--competition"),
        (["--competition", cid], "-o DATEI.pdf"),
        (["--competition", cid, "--kind", "alles", "-o", out], "Unbekannte Art"),
        (["--competition", cid, "--school", "9999", "-o", out], "gehört nicht zum Wettbewerb"),
        (
            ["--competition", cid, "-o", str(tmp_path / "fehlt" / "x.pdf")],
            "lässt sich nicht schreiben",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(args=["certificates", *args])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)


def test_an_empty_selection_writes_no_file_and_exits_with_1(contest, runner, tmp_path, db):
    from compmgr.results.models import Decision, SpecialPrizeAward

    db.session.execute(db.delete(SpecialPrizeAward))
    db.session.execute(db.delete(Decision))
    db.session.commit()
    target = tmp_path / "preise.pdf"
    result = runner.invoke(
        args=[
            "certificates",
            "--competition",
            str(contest["comp"].id),
            "--kind",
            "prizes",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == "Keine Urkunden für diese Auswahl – keine Datei geschrieben."
    assert result.stdout == ""
    assert not target.exists()
