/* A page with an element [data-reload-after="<seconds>"] (an Excel export being prepared)
   reloads itself after that many seconds, and again, until the element is gone. Set up on
   each turbo:load (viewflow's pages change with Turbo); leaving the page stops it. */
(function () {
  "use strict";

  var timer = null;

  function setUp() {
    window.clearTimeout(timer);
    var element = document.querySelector("[data-reload-after]");
    if (!element) return;
    var seconds = parseFloat(element.getAttribute("data-reload-after")) || 2;
    timer = window.setTimeout(function () {
      if (window.Turbo) window.Turbo.visit(window.location.href, { action: "replace" });
      else window.location.reload();
    }, seconds * 1000);
  }

  document.addEventListener("turbo:load", setUp);
  if (document.readyState !== "loading") setUp();
  else document.addEventListener("DOMContentLoaded", setUp);
})();
