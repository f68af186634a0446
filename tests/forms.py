"""Submit the forms a page renders, as a browser would; post raw data only where no page does.

``submit(page, title="Neu")`` finds the form on ``page`` (a test client response), takes its
action, method and every value the browser would send (hidden fields and the CSRF token,
text, ticked boxes and radios, selected options), puts the given values in and sends it with
the client that fetched the page. Naming a field the form lacks, picking an option the page
does not offer, typing into a disabled field or past its maxlength, or sending a form that
has no button fails the test: a test cannot pass by posting what no user could. To test what
a server does with a stale page (a second tab), submit a page fetched before the change.

``post_raw`` is for the few requests that no page renders on purpose (CSRF refusals, hostile
input, the score page's JSON autosave): it adds a valid CSRF token to hand-made data.
"""

import io
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from werkzeug.datastructures import MultiDict

FILL_IN = {
    "text",
    "search",
    "email",
    "url",
    "tel",
    "password",
    "number",
    "date",
    "time",
    "datetime-local",
    "month",
    "week",
    "color",
    "range",
    "hidden",
}
BUTTONS = {"submit", "image"}
BLOCKING = FILL_IN - {"hidden", "color", "range"}  # Enter in one of these submits the form
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class FormError(AssertionError):
    """The page has no such form, or the test asks for something its form does not offer."""


# --- the raw way, for requests no page renders ----------------------------------------------


def csrf_token(client):
    """Fetch a CSRF token for the client's session from a page that always has a form."""
    html = client.get("/reset").get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on /reset"
    return match.group(1)


def post_raw(client, url, data=None, *, json=None, token=None, **kwargs):
    """Post hand-made form data, or JSON as the score page's script does, with a valid CSRF
    token (or ``token``): only for requests no page renders as a form."""
    token = csrf_token(client) if token is None else token
    if json is not None:
        headers = {"X-CSRFToken": token, **kwargs.pop("headers", {})}
        return client.post(url, json=json, headers=headers, **kwargs)
    data = dict(data or {})
    data.setdefault("csrf_token", token)
    return client.post(url, data=data, **kwargs)


# --- the browser's way ------------------------------------------------------------------------


def forms_of(response):
    """Return the page's forms (lxml FormElements), parsed from the response's HTML."""
    html = response.get_data(as_text=True)
    if not html.strip():
        raise FormError(f"{_where(response)} answered {response.status_code} without a page")
    return lxml.html.document_fromstring(html).forms


def submit(
    response,
    form_id=None,
    *,
    action=None,
    button=None,
    having=None,
    follow_redirects=False,
    headers=None,
    **fields,
):
    """Fill in and send one form of the page, with the client that fetched the page.

    The form is picked by ``form_id``, by ``action`` (its URL path), by ``button`` (the label,
    value or name of one of its submit buttons, which is then the one pressed) or, without
    these, as the one form in the page's <main> that has every given field; ``having`` (a dict)
    keeps only forms that would send these values, e.g. a hidden kind. Field values:
    text as str or number; a checkbox True/False, or the values to tick as a list; a select
    or radio group the value of an offered option (a list for a multiple select); a file a
    (stream, filename) tuple or bytes.
    """
    client = getattr(response, "client", None)
    if client is None:
        raise FormError(
            "the response does not know its client: fetch the page with the "
            "`client` fixture (tests.conftest.IsolatedClient)"
        )
    form = _pick(response, form_id, action, button, having, fields)
    pairs, submitter = _values(form), _submitter(form, button)
    if submitter is None and len([el for el in _controls(form) if _kind(el) in BLOCKING]) > 1:
        raise FormError("the form has no submit button and several fields: Enter sends nothing")
    for name, value in fields.items():
        pairs = [(n, v) for n, v in pairs if n != name] + _filled(form, name, value)
    if submitter is not None and submitter.get("name"):
        pairs.append((submitter.get("name"), submitter.get("value", "")))
    url = _action_path(response, form)
    method = (form.get("method") or "get").lower()
    if method == "get":
        return client.get(
            urlsplit(url).path,
            query_string=pairs,
            follow_redirects=follow_redirects,
            headers=headers,
        )
    multipart = (form.get("enctype") or "").lower() == "multipart/form-data"
    return client.post(
        url,
        data=MultiDict(pairs),
        follow_redirects=follow_redirects,
        headers=headers,
        content_type="multipart/form-data" if multipart else None,
    )


def _where(response):
    return response.request.path if response.request is not None else "the response"


def _action_path(response, form):
    """Resolve the form's action against the page's URL; return path and query."""
    url = urljoin(response.request.url, form.get("action") or "")
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _controls(form, name=None):
    for el in form.iter("input", "select", "textarea", "button"):
        if el.get("name") and (name is None or el.get("name") == name):
            yield el


def _kind(el):
    if el.tag == "input":
        return (el.get("type") or "text").lower()
    if el.tag == "button":
        return (el.get("type") or "submit").lower()
    return el.tag


def _buttons(form):
    return [el for el in form.iter("input", "button") if _kind(el) in BUTTONS and not _disabled(el)]


def _button_matches(el, label):
    texts = {(el.text_content() or "").strip(), el.get("value"), el.get("name")}
    return label in texts


def _summary(form, response):
    names = sorted({el.get("name") for el in _controls(form) if _kind(el) not in BUTTONS})
    labels = [((b.text_content() or "").strip() or b.get("value") or "") for b in _buttons(form)]
    return (
        f"  <form id={form.get('id')!r} method={form.get('method', 'get')!r} "
        f"action={_action_path(response, form)!r}> fields {names} buttons {labels}"
    )


def _pick(response, form_id, action, button, having, fields):
    forms = list(forms_of(response))
    candidates = forms
    if having:
        wanted = {(k, str(v)) for k, v in having.items()}
        candidates = [f for f in candidates if wanted <= set(_values(f))]
    if form_id is not None:
        candidates = [f for f in candidates if f.get("id") == form_id]
    if action is not None:
        candidates = [f for f in candidates if urlsplit(_action_path(response, f)).path == action]
    if button is not None:
        candidates = [f for f in candidates if any(_button_matches(b, button) for b in _buttons(f))]
    if form_id is None and action is None and button is None and not having:
        in_main = [f for f in candidates if any(a.tag == "main" for a in f.iterancestors())]
        candidates = in_main or candidates
    if len(candidates) > 1 and fields:
        candidates = [
            f for f in candidates if all(any(True for _ in _controls(f, n)) for n in fields)
        ] or candidates
    if len(candidates) == 1:
        return candidates[0]
    wanted = ", ".join(
        f"{k}={v!r}"
        for k, v in {
            "form_id": form_id,
            "action": action,
            "button": button,
            "having": having,
        }.items()
        if v
    )
    problem = "no form" if not candidates else f"{len(candidates)} forms"
    listing = "\n".join(_summary(f, response) for f in (candidates or forms)) or "  (none)"
    raise FormError(
        f"{problem} on {_where(response)} ({response.status_code}) match "
        f"{wanted or 'the fields ' + str(sorted(fields))}:\n{listing}"
    )


def _disabled(el):
    """Tell whether the control is disabled, itself or by a disabled <fieldset> around it."""
    if el.get("disabled") is not None:
        return True
    for fieldset in el.iterancestors("fieldset"):
        legend = next(fieldset.iterchildren("legend"), None)
        inside_legend = legend is not None and any(a is legend for a in el.iterancestors())
        if fieldset.get("disabled") is not None and not inside_legend:
            return True
    return False


def _values(form):
    """Return the (name, value) pairs a browser sends for the form as it stands."""
    pairs = []
    for el in _controls(form):
        kind, name = _kind(el), el.get("name")
        if _disabled(el) or kind in BUTTONS | {"reset", "button", "file"}:
            continue
        if kind in ("checkbox", "radio"):
            if el.get("checked") is not None:
                pairs.append((name, el.get("value", "on")))
        elif kind == "select":
            if el.multiple:
                pairs.extend((name, v) for v in el.value)
            elif el.value is not None:
                pairs.append((name, el.value))
        elif kind == "textarea":
            pairs.append((name, el.value or ""))
        else:
            pairs.append((name, el.get("value", "")))
    return pairs


def _submitter(form, button):
    """Return the button pressed: the one named, else the first (as Enter in a field does)."""
    buttons = _buttons(form)
    if button is not None:
        return next(b for b in buttons if _button_matches(b, button))
    return buttons[0] if buttons else None


def _filled(form, name, value):
    """Return the pairs the field ``name`` sends once the user set it to ``value``."""
    controls = [el for el in _controls(form, name) if _kind(el) not in BUTTONS]
    if not controls:
        names = sorted({el.get("name") for el in _controls(form) if _kind(el) not in BUTTONS})
        raise FormError(f"the form has no field {name!r}; it has {names}")
    if any(_disabled(el) for el in controls):
        raise FormError(f"the field {name!r} is disabled: a user cannot fill it in")
    kind = _kind(controls[0])
    if kind in ("checkbox", "radio"):
        return _ticked(controls, name, value, kind)
    if kind == "select":
        return _selected(controls[0], name, value)
    if kind == "file":
        return _file(form, name, value)
    values = list(value) if isinstance(value, list | tuple) else [value]
    if len(values) != len(controls):
        raise FormError(
            f"the form has {len(controls)} field(s) {name!r}, given {len(values)} values"
        )
    if any(isinstance(v, bool) or v is None for v in values):
        raise FormError(f"{name!r} is a {kind} field: type text, not {value!r}")
    for el, v in zip(controls, values, strict=True):
        limit = el.get("maxlength")
        if limit and len(str(v)) > int(limit):
            raise FormError(
                f"{name!r} takes at most {limit} characters: a browser stops typing there"
            )
    return [(name, str(v)) for v in values]


def _ticked(controls, name, value, kind):
    offered = [el.get("value", "on") for el in controls]
    if value is True and len(controls) == 1:
        return [(name, offered[0])]
    if value is False or value is None:
        return []
    chosen = [str(v) for v in value] if isinstance(value, list | tuple | set) else [str(value)]
    missing = [v for v in chosen if v not in offered]
    if missing or (kind == "radio" and len(chosen) > 1):
        raise FormError(f"{name!r} offers {offered}, not {missing or chosen}")
    return [(name, v) for v in chosen]


def _selected(select, name, value):
    offered = [
        o.get("value", (o.text or "").strip())
        for o in select.iter("option")
        if o.get("disabled") is None
    ]
    chosen = [str(v) for v in value] if isinstance(value, list | tuple | set) else [str(value)]
    missing = [v for v in chosen if v not in offered]
    if missing or (not select.multiple and len(chosen) != 1):
        raise FormError(f"the select {name!r} offers {offered}, not {missing or chosen}")
    return [(name, v) for v in chosen]


def _file(form, name, value):
    if (form.get("enctype") or "").lower() != "multipart/form-data":
        raise FormError(f"the form with file field {name!r} is not multipart: no file would arrive")
    if isinstance(value, bytes):
        value = (io.BytesIO(value), f"{name}.bin")
    return [(name, value)]
