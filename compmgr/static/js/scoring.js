// compmgr: autosave of the judge's score sheet. Values are kept in localStorage until the
// server confirms them, and are sent again when the connection returns. Without JavaScript
// the page is a plain form.
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  if (!form || form.hasAttribute("data-locked") || !window.fetch) { return; }
  var url = form.getAttribute("data-autosave-url");
  var key = form.getAttribute("data-storage-key");
  var status = document.getElementById("save-status");
  var tokenField = form.querySelector("input[name=csrf_token]");
  var note = form.querySelector("textarea[name=note]");
  var sending = false;
  var noteTimer = null;
  var RETRY_MS = 5000;

  // The page carries the texts in the interface language (data-msg-*); German is the fallback.
  var msg = form.dataset;
  var texts = {
    saving: msg.msgSaving || "Wird gespeichert …",
    saved: msg.msgSaved || "Gespeichert um {time} Uhr",
    offline: msg.msgOffline || "Keine Verbindung: Ihre Eingaben sind auf diesem Gerät gesichert und werden automatisch übertragen.",
    login: msg.msgLogin || "Bitte neu anmelden: Ihre Eingaben sind auf diesem Gerät gesichert.",
    locked: msg.msgLocked || "Die Jury hat abgeschlossen: Bewertungen können nicht mehr geändert werden.",
    invalid: msg.msgInvalid || "Ein Wert wurde nicht angenommen. Bitte prüfen."
  };

  function say(text) { if (status) { status.textContent = text; } }

  function collect() {
    var values = {};
    form.querySelectorAll("[data-criterion]").forEach(function (box) {
      var id = box.getAttribute("data-criterion");
      var checked = box.querySelector("input[type=radio]:checked");
      var number = box.querySelector("input[type=number]");
      if (checked) { values[id] = parseInt(checked.value, 10); }
      else if (number && number.value !== "") { values[id] = parseInt(number.value, 10); }
    });
    return { values: values, note: note ? note.value : null };
  }

  function apply(data) {
    Object.keys(data.values || {}).forEach(function (id) {
      var box = form.querySelector('[data-criterion="' + id + '"]');
      if (!box) { return; }
      var v = data.values[id];
      var radio = box.querySelector('input[type=radio][value="' + v + '"]');
      var number = box.querySelector("input[type=number]");
      if (radio) { radio.checked = true; }
      if (number) { number.value = v === null ? "" : v; }
    });
    if (note && typeof data.note === "string") { note.value = data.note; }
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }

  function store(submit) {
    var data = collect();
    var old = load();
    data.submit = !!submit || !!(old && old.submit);
    data.version = Date.now();
    try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* full: send anyway */ }
    return data;
  }

  function refreshToken() {
    // A CSRF token can expire on a page open all day: fetch the page again for a fresh one.
    return fetch(window.location.href, { credentials: "same-origin" }).then(function (r) {
      return r.text();
    }).then(function (html) {
      var m = html.match(/name="csrf_token"[^>]*value="([^"]+)"/);
      if (m && tokenField) { tokenField.value = m[1]; return true; }
      return false;
    });
  }

  function send(retried) {
    var pending = load();
    if (!pending || sending) { return Promise.resolve(false); }
    sending = true;
    say(texts.saving);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenField ? tokenField.value : "",
                 "Accept": "application/json" },
      body: JSON.stringify({ values: pending.values, note: pending.note, submit: pending.submit })
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      sending = false;
      if (response.ok && json) {
        var now = load();
        if (now && now.version === pending.version) { window.localStorage.removeItem(key); }
        var d = new Date();
        say(texts.saved.replace("{time}", ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2)));
        if (now && now.version !== pending.version) { return send(); }
        return true;
      }
      if (response.status === 409) { window.localStorage.removeItem(key); say(texts.locked); return false; }
      if (response.status === 422) { window.localStorage.removeItem(key); say(texts.invalid); return false; }
      if (response.status === 400 && !json && !retried) {
        return refreshToken().then(function (ok) { return ok ? send(true) : false; });
      }
      say(response.redirected ? texts.login : texts.offline);
      return false;
    }).catch(function () {
      sending = false;
      say(texts.offline);
      return false;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target === note) { return; }
    store(false);
    send();
  });
  if (note) {
    note.addEventListener("input", function () {
      store(false);
      window.clearTimeout(noteTimer);
      noteTimer = window.setTimeout(send, 800);
    });
  }
  form.addEventListener("submit", function (event) {
    var finish = event.submitter && event.submitter.name === "finish";
    event.preventDefault();
    store(finish);
    send().then(function (ok) {
      if (ok && finish) { window.location.href = form.getAttribute("data-dashboard-url"); }
    });
  });
  window.addEventListener("online", function () { send(); });
  window.setInterval(function () { if (load()) { send(); } }, RETRY_MS);

  // Values entered while offline (even before a reload) win over what the server showed.
  var saved = load();
  if (saved) { apply(saved); send(); }
})();
