// compmgr: the judge's service worker, scope /c/<id>/jury/. The app serves this file with
// CONFIG set in front (judging/offline_views.py): the scope, the offline page, the login
// page and the static files every judge page needs.
//
// What it keeps, in Cache Storage of this origin only, while a judge is logged in: the
// judge's list, the score sheets of the projects on it (fetched ahead when the list is open),
// the offline page and the static files. Nothing else: no paper, no chair or organiser page.
// Pages go to the network first and come from the copy only when there is no connection.
// Any page shown to a logged-out user (see offline.js) and any answer that lands on the
// login page delete the copies.
/* global CONFIG */
"use strict";

var CACHE = "compmgr-judge:" + CONFIG.scope;
var PAGE_RE = new RegExp("^" + CONFIG.scope.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") +
  "(projects/\\d+/)?$");
var SAVE_RE = /\/jury\/projects\/\d+\/autosave$/;
var STATIC_RE = /^\/(static|bootstrap\/static)\//;
var NETWORK_MS = 6000;  // a connection that hangs longer than this counts as none
var FRESH_MS = 5 * 60 * 1000;  // a sheet fetched ahead is fetched again after this

// Every copy is written under the generation it was fetched in. Logging out starts a new
// one, so an answer still on its way when the copies were deleted is not kept afterwards.
var generation = 0;

function clearAll() {
  generation += 1;
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("compmgr-judge:") === 0;
    }).map(function (k) { return caches.delete(k); }));
  });
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (r) { clearTimeout(timer); resolve(r); },
      function (e) { clearTimeout(timer); reject(e); });
  });
}

function loggedOut(response) {
  return response.redirected && new URL(response.url).pathname === CONFIG.login;
}

// Keep a copy of a judge page, drop it when it is gone, forget everything when logged out.
function keep(path, response, gen) {
  if (loggedOut(response)) { return clearAll(); }
  if (gen !== generation) { return null; }
  return caches.open(CACHE).then(function (cache) {
    if (gen !== generation) { return null; }
    if (response.ok && !response.redirected) { return cache.put(path, response); }
    if (response.status === 404 || response.status === 403) { return cache.delete(path); }
    return null;
  });
}

function fetchPage(path) {
  var gen = generation;
  return fetch(path, { credentials: "same-origin" }).then(function (response) {
    return keep(path, response, gen);
  }).catch(function () { return null; });
}

function offlinePage() {
  return caches.open(CACHE).then(function (cache) { return cache.match(CONFIG.offline); })
    .then(function (hit) {
      return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
}

function page(request) {
  var path = new URL(request.url).pathname;
  var gen = generation;
  var network = fetch(request).then(function (response) {
    keep(path, response.clone(), gen);
    return response;
  });
  return withTimeout(network, NETWORK_MS).catch(function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(path); })
      .then(function (hit) { return hit || network.catch(offlinePage); });
  });
}

function staticFile(request) {
  var gen = generation;
  return fetch(request).then(function (response) {
    if (response.ok && gen === generation) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) {
        if (gen === generation) { cache.put(request.url, copy); }
      });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(request.url); })
      .then(function (hit) { return hit || Response.error(); });
  });
}

// After a save the copies of the sheet and of the list are out of date: fetch them again,
// once, a moment after the last save of a burst.
var refreshing = {};
function refresh(path) {
  var state = refreshing[path];
  if (state) { state.again = true; return state.done; }
  state = refreshing[path] = { again: false };
  function round() {
    state.again = false;
    return fetchPage(path).then(function () {
      if (state.again) { return round(); }
      delete refreshing[path];
      return null;
    });
  }
  state.done = new Promise(function (resolve) { setTimeout(resolve, 800); }).then(round);
  return state.done;
}

function saveThrough(event) {
  var request = event.request;
  var sheet = new URL(request.url).pathname.replace(/autosave$/, "");
  var after;
  event.waitUntil(new Promise(function (resolve) { after = resolve; }));
  return fetch(request).then(function (response) {
    after(response.ok ? Promise.all([refresh(sheet), refresh(CONFIG.scope)]) : null);
    return response;
  }, function (error) { after(null); throw error; });
}

// The list names the sheets: fetch those not kept yet (or kept a while ago), drop the rest.
function keepSheets(paths) {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      var dropped = requests.filter(function (r) {
        var p = new URL(r.url).pathname;
        return p !== CONFIG.scope && PAGE_RE.test(p) && paths.indexOf(p) < 0;
      }).map(function (r) { return cache.delete(r); });
      var fetched = paths.filter(function (p) { return PAGE_RE.test(p); }).map(function (p) {
        return cache.match(p).then(function (hit) {
          var age = hit ? Date.now() - Date.parse(hit.headers.get("Date") || 0) : Infinity;
          return age > FRESH_MS ? fetchPage(p) : null;
        });
      });
      return Promise.all(dropped.concat(fetched));
    });
  });
}

self.addEventListener("install", function (event) {
  // One by one: a static file that moved must not keep the worker from installing.
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all([CONFIG.offline].concat(CONFIG.statics).map(function (path) {
      return cache.add(path).catch(function () { return null; });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "sheets" && Array.isArray(data.paths)) { event.waitUntil(keepSheets(data.paths)); }
  if (data.type === "clear") { event.waitUntil(clearAll()); }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && SAVE_RE.test(url.pathname)) {
    event.respondWith(saveThrough(event));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    if (PAGE_RE.test(url.pathname) && !url.search) {
      event.respondWith(page(request));
    } else if (url.pathname.indexOf(CONFIG.scope) === 0) {
      event.respondWith(fetch(request).catch(offlinePage));
    }
    return;
  }
  if (STATIC_RE.test(url.pathname)) { event.respondWith(staticFile(request)); }
});
