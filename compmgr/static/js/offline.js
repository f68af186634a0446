// compmgr: the judge's pages offline. On a judge's page this registers the service worker
// (judge-sw.js, served by the app), has it keep every sheet on the list ready, and sends
// values still waiting on this device for other projects once the connection is back
// (scoring.js sends those of the sheet that is open). On any page for a logged-out user it
// deletes the judge's copies and the worker: nothing of a judge's stays behind on the device.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) { return; }
  var signedIn = !!document.querySelector("form[action$='/logout']");
  if (!signedIn) {
    var deleteCopies = function () {
      return caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("compmgr-judge:") === 0; })
          .map(function (k) { return caches.delete(k); }));
      });
    };
    deleteCopies();
    // The worker may still be storing a page it fetched before the logout: told to clear,
    // it deletes the copies itself and keeps nothing fetched before that.
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.filter(function (r) {
        return /\/c\/\d+\/jury\/$/.test(new URL(r.scope).pathname);
      }).map(function (r) {
        [r.installing, r.waiting, r.active].forEach(function (w) {
          if (w) { w.postMessage({ type: "clear" }); }
        });
        return r.unregister();
      }));
    }).then(deleteCopies);
    return;
  }
  var match = window.location.pathname.match(/^\/c\/(\d+)\/jury\//);
  if (!match) { return; }
  var scope = match[0];
  var SHEET_RE = /^\/c\/\d+\/jury\/projects\/(\d+)\/$/;
  navigator.serviceWorker.register(scope + "sw.js", { scope: scope }).catch(function () {
    /* no worker (e.g. private mode): the pages still work online */
  });

  var status = document.getElementById("offline-queue");
  var current = document.getElementById("score-form");
  var currentKey = current ? current.getAttribute("data-storage-key") : null;
  // Only this judge's values: another judge may have left some on a shared device.
  var prefix = status ? status.getAttribute("data-storage-prefix")
    : currentKey ? currentKey.replace(/\d+$/, "") : null;

  function waiting() {
    var keys = [];
    if (!prefix) { return keys; }
    for (var i = 0; i < window.localStorage.length; i++) {
      var k = window.localStorage.key(i);
      if (k && k.indexOf(prefix) === 0) { keys.push(k); }
    }
    return keys;
  }

  function show() {
    if (!status) { return; }
    var n = waiting().length;
    status.hidden = n === 0;
    status.textContent = n ? status.getAttribute(n === 1 ? "data-msg-one" : "data-msg-many")
      .replace("{n}", n) : "";
  }

  // The list names every assigned sheet: the worker fetches them ahead for offline use,
  // and the list itself (on a judge's first visit the worker did not yet see it load).
  if (window.location.pathname === scope) {
    navigator.serviceWorker.ready.then(function (registration) {
      var paths = [scope];
      document.querySelectorAll("a[href]").forEach(function (a) {
        var p = new URL(a.href, window.location.href).pathname;
        if (SHEET_RE.test(p) && paths.indexOf(p) < 0) { paths.push(p); }
      });
      if (registration.active) { registration.active.postMessage({ type: "sheets", paths: paths }); }
    });
  }

  var sending = false;
  function flush() {
    var token = document.querySelector("input[name=csrf_token]");
    var keys = waiting().filter(function (k) { return k !== currentKey; });
    if (sending || !keys.length || !token || navigator.onLine === false) { show(); return; }
    sending = true;
    Promise.all(keys.map(function (key) {
      var pending;
      try { pending = JSON.parse(window.localStorage.getItem(key)); } catch (e) { pending = null; }
      var project = key.split("-").pop();
      if (!pending || !/^\d+$/.test(project)) { return null; }
      return fetch(scope + "projects/" + project + "/autosave", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value,
                   "Accept": "application/json" },
        body: JSON.stringify({ values: pending.values, note: pending.note, submit: pending.submit })
      }).then(function (response) {
        var now;
        try { now = JSON.parse(window.localStorage.getItem(key)); } catch (e) { now = null; }
        var same = now && now.version === pending.version;
        // Saved, or never to be saved (jury locked, value refused): as on the sheet itself.
        if (same && (response.ok || response.status === 409 || response.status === 422)) {
          window.localStorage.removeItem(key);
        }
      }).catch(function () { /* still offline: next time */ });
    })).then(function () { sending = false; show(); });
  }

  window.addEventListener("online", flush);
  window.addEventListener("storage", show);
  window.setInterval(function () { if (waiting().length) { flush(); } }, 5000);
  flush();
})();
