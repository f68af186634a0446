"""Data minimisation: judges see names, school and project, never birth dates or contact data."""

from tests.privacy.scene import published_competition


def test_judge_pages_show_no_birth_dates_or_contact_data(login_as, db):
    s = published_competition()
    s.comp.status = "judging"
    from compmgr.judging.models import Judge
    from tests.factories import assign

    judge = db.session.execute(db.select(Judge).filter_by(user_id=s.judge_user.id)).scalar_one()
    judge.confidentiality_accepted_at = judge.conflicts_declared_at = s.comp.created_at
    assign(judge, s.winner)
    db.session.commit()
    web = login_as(s.judge_user)
    pages = [
        web.get(f"/c/{s.comp.id}/jury/"),
        web.get(f"/c/{s.comp.id}/jury/projects/{s.winner.id}/"),
    ]
    for response in pages:
        assert response.status_code == 200, response.status_code
        html = response.get_data(as_text=True)
        for secret in (
            "01.03.2003",
            "2003-03-01",
            "lena@example.org",
            "0171 1234567",
            "mueller@schule.example",
        ):
            assert secret not in html
    assert "Mikroplastik in der Neiße" in pages[1].get_data(as_text=True)
