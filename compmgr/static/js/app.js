// compmgr: small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = button && button.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { event.preventDefault(); }
  });
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }
  // Live character counters: <textarea data-maxlength="1500" data-counter="id">
  document.querySelectorAll("[data-counter]").forEach(function (field) {
    var out = document.getElementById(field.getAttribute("data-counter"));
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    function update() {
      var left = max - field.value.length;
      out.textContent = out.getAttribute(left < 0 ? "data-over" : "data-left").replace("%d", Math.abs(left));
      out.classList.toggle("text-danger", left < 0);
    }
    field.addEventListener("input", update);
    update();
  });
})();
