// Award ceremony: show one slide at a time; arrows, space and PageUp/PageDown move, F goes
// full screen. Without JavaScript the page is a plain list of every prize.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".ceremony-slide"));
  if (!slides.length) { return; }
  var counter = document.querySelector(".ceremony-counter");
  var keys = document.querySelector(".ceremony-keys");
  var current = 0;
  document.body.classList.add("ceremony-js");
  counter.hidden = false;
  keys.hidden = false;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle("is-current", i === current);
      slide.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    counter.textContent = (current + 1) + " / " + slides.length;
    if (window.history.replaceState) { window.history.replaceState(null, "", "#" + (current + 1)); }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "ArrowDown" || key === " " || key === "PageDown" || key === "Enter") {
      if (key === "Enter" && event.target.tagName === "BUTTON") { return; }
      show(current + 1);
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" || key === "Backspace") {
      show(current - 1);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(slides.length - 1);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else {
      return;
    }
    event.preventDefault();
  });
  document.querySelector(".ceremony-deck").addEventListener("click", function (event) {
    if (event.target.closest("a, button")) { return; }
    show(current + 1);
  });
  var button = document.querySelector("[data-fullscreen]");
  if (button) { button.addEventListener("click", toggleFullscreen); }

  var start = parseInt((window.location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
