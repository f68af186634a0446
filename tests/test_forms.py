"""tests.forms.submit sends what a browser would send, and refuses what no user could do."""

import io

import pytest
from flask import Flask, jsonify, request
from flask.testing import FlaskClient

from tests.forms import FormError, submit

PAGE = """<!doctype html><html><body>
<header><form method="post" action="/logout"><button>Abmelden</button></form></header>
<main>
<form method="post" action="/echo?step=2" id="person">
  <input type="hidden" name="csrf_token" value="tok">
  <input name="name" value="Lena"> <input name="nickname">
  <input type="password" name="secret">
  <input type="checkbox" name="consent" value="y" checked>
  <input type="checkbox" name="photos" value="y">
  <input type="checkbox" name="subjects" value="1"><input type="checkbox" name="subjects" value="2" checked>
  <input type="radio" name="grade" value="9"><input type="radio" name="grade" value="10" checked>
  <select name="school"><option value="0">–</option><option value="7">Goethe</option></select>
  <select name="divisions" multiple><option value="a" selected>A</option><option value="b">B</option></select>
  <textarea name="note">Erste Zeile</textarea>
  <input name="short" maxlength="3">
  <input name="locked" value="fest" disabled>
  <fieldset disabled><input name="frozen" value="x"></fieldset>
  <input type="submit" name="save" value="Speichern">
  <button type="submit" name="finish" value="1">Abschließen</button>
</form>
<form method="post" action="/echo" enctype="multipart/form-data" id="upload">
  <input type="hidden" name="kind" value="paper"><input type="file" name="file">
  <button>Hochladen</button>
</form>
<form method="post" action="/echo" id="other">
  <input type="hidden" name="kind" value="animal_form"><input name="name"><input name="city">
  <button>Senden</button>
</form>
<form method="post" action="/echo" id="nofile"><input type="file" name="file"><button>Los</button></form>
<form method="post" action="/echo" id="buttonless"><input name="street"><input name="zip"></form>
<form method="get" action="/echo" id="filter"><input name="q"><button>Suchen</button></form>
</main></body></html>"""


class EchoClient(FlaskClient):
    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.client = self
        return response


@pytest.fixture
def page():
    echo = Flask(__name__)
    echo.test_client_class = EchoClient

    @echo.route("/page")
    def show():
        return PAGE

    @echo.route("/echo", methods=["GET", "POST"])
    def answer():
        files = {k: (f.filename, f.read().decode()) for k, f in request.files.items()}
        return jsonify(
            method=request.method,
            form=request.form.to_dict(flat=False),
            args=request.args.to_dict(flat=False),
            files=files,
            multipart=request.mimetype == "multipart/form-data",
        )

    return echo.test_client().get("/page")


def test_the_form_is_sent_as_it_stands_with_the_first_button(page):
    sent = submit(page, "person").json
    assert sent["method"] == "POST" and sent["args"] == {"step": ["2"]}
    assert sent["form"] == {
        "csrf_token": ["tok"],
        "name": ["Lena"],
        "nickname": [""],
        "secret": [""],
        "consent": ["y"],
        "subjects": ["2"],
        "grade": ["10"],
        "school": ["0"],
        "divisions": ["a"],
        "note": ["Erste Zeile"],
        "short": [""],
        "save": ["Speichern"],
    }


def test_given_values_replace_what_the_page_shows(page):
    sent = submit(
        page,
        button="Abschließen",
        name="Jörg",
        consent=False,
        photos=True,
        subjects=["1", "2"],
        grade=9,
        school=7,
        divisions=["a", "b"],
        note="Neu",
    ).json
    form = sent["form"]
    assert form["name"] == ["Jörg"] and "consent" not in form and form["photos"] == ["y"]
    assert form["subjects"] == ["1", "2"] and form["grade"] == ["9"] and form["school"] == ["7"]
    assert form["divisions"] == ["a", "b"] and form["note"] == ["Neu"]
    assert form["finish"] == ["1"] and "save" not in form


def test_the_form_is_found_by_its_fields_action_button_or_values(page):
    assert submit(page, nickname="x").json["form"]["nickname"] == ["x"]  # only #person has it
    assert submit(page, having={"kind": "animal_form"}, city="Görlitz").json["form"]["city"] == [
        "Görlitz"
    ]
    searched = submit(page, q="Algen").json
    assert searched["method"] == "GET" and searched["args"] == {"q": ["Algen"]}
    assert submit(page, action="/logout").request.path == "/logout"  # outside <main> by its action
    with pytest.raises(FormError, match="2 forms"):
        submit(page, name="Lena")  # #person and #other both have a name


def test_a_file_goes_as_multipart(page):
    sent = submit(page, "upload", file=(io.BytesIO(b"%PDF-1.4"), "arbeit.pdf")).json
    assert sent["multipart"] and sent["files"] == {"file": ["arbeit.pdf", "%PDF-1.4"]}
    assert sent["form"] == {"kind": ["paper"]}


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"nick": "x"}, "no field 'nick'"),
        ({"school": 8}, "offers"),
        ({"grade": 11}, "offers"),
        ({"subjects": ["3"]}, "offers"),
        ({"locked": "anders"}, "disabled"),
        ({"frozen": "anders"}, "disabled"),
        ({"short": "viel zu lang"}, "at most 3"),
        ({"name": True}, "type text"),
    ],
)
def test_what_no_user_could_send_fails_the_test(page, fields, message):
    with pytest.raises(FormError, match=message):
        submit(page, "person", **fields)


def test_a_file_needs_a_multipart_form_and_a_form_needs_a_way_to_send_it(page):
    with pytest.raises(FormError, match="not multipart"):
        submit(page, "nofile", file=b"%PDF-1.4")
    with pytest.raises(FormError, match="no submit button"):
        submit(page, "buttonless", street="Hauptstraße 1")


def test_a_response_from_an_unknown_client_is_refused():
    echo = Flask(__name__)
    echo.route("/")(lambda: PAGE)
    with pytest.raises(FormError, match="client"):
        submit(echo.test_client().get("/"), "person")
