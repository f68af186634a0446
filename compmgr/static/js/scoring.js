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
    invalid: msg.msgInvalid || "Ein Wert wurde nicht angenommen. Bitte prüfen.",
    missing: msg.msgMissing || "Für den Abschluss fehlt hier noch ein Wert."
  };

  function say(text, warn) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("text-warning-emphasis", !!warn);
    status.classList.toggle("fw-semibold", !!warn);
  }

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

  // A criterion still without a value when the judge tried to finish gets a note beside it
  // (the server renders the same note for the plain form); it goes once the value is there.
  function markMissing(id, on) {
    var holder = document.getElementById("c" + id + "-box");
    if (!holder) { return; }
    var target = holder.tagName === "FIELDSET" ? holder : holder.querySelector("input");
    var noteId = "c" + id + "-missing";
    var marker = document.getElementById(noteId);
    var ids = (target.getAttribute("aria-describedby") || "").split(" ").filter(function (t) {
      return t && t !== noteId;
    });
    if (on && !marker) {
      marker = document.createElement("div");
      marker.id = noteId;
      marker.className = "invalid-feedback d-block";
      marker.setAttribute("data-missing", "");
      marker.textContent = texts.missing;
      holder.appendChild(marker);
    } else if (!on && marker) {
      marker.parentNode.removeChild(marker);
    }
    if (on) { ids.push(noteId); }
    target.setAttribute("aria-describedby", ids.join(" "));
  }

  function showMissing(data) {
    var still = data.missing || [];
    form.querySelectorAll("[data-missing]").forEach(function (marker) {
      var id = marker.id.replace(/^c/, "").replace(/-missing$/, "");
      if (still.indexOf(id) < 0) { markMissing(id, false); }
    });
    if (data.refused) {
      still.forEach(function (id) { markMissing(id, true); });
      var first = document.getElementById("c" + still[0] + "-box");
      if (first) { first.scrollIntoView({ block: "center" }); }
    }
    var alert = document.getElementById("missing-alert");
    if (alert && !form.querySelector("[data-missing]")) { alert.parentNode.removeChild(alert); }
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
        return response.json().then(function (data) {
          var now = load();
          if (now && now.version === pending.version) {
            window.localStorage.removeItem(key);
          } else if (now && data.refused && now.submit) {
            // Edits made while a refused finish travelled stay a draft until finished again.
            now.submit = false;
            try { window.localStorage.setItem(key, JSON.stringify(now)); } catch (e) { /* sent below */ }
          }
          var d = new Date();
          showMissing(data);
          // Finishing was refused (criteria missing): the server says which; all else is saved.
          say(data.refused ? data.message : texts.saved.replace(
            "{time}", ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2)), data.refused);
          // A newer edit waits: send it first, and leave the page only once it is saved too.
          if (now && now.version !== pending.version) { return send(); }
          if (pending.submit && data.submitted) {
            window.location.href = form.getAttribute("data-dashboard-url");
          }
          return true;
        });
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
    send();  // a finished sheet goes on to the list once the server confirms it (see send)
  });
  window.addEventListener("online", function () { send(); });
  window.setInterval(function () { if (load()) { send(); } }, RETRY_MS);

  // Values entered while offline (even before a reload) win over what the server showed.
  var saved = load();
  if (saved) { apply(saved); send(); }
})();
