/* While a leader types a number of working days (a WorkingDaysInput, data-deadline-preview
   = the JSON endpoint's URL), show the deadline it gives and the counting rule under the
   field. Set up on each turbo:load (viewflow's pages change with Turbo). */
(function () {
  "use strict";

  function setUp() {
    document.querySelectorAll("[data-deadline-preview]").forEach(function (field) {
      var input = field.tagName === "INPUT" ? field : field.querySelector("input");
      if (!input || input.dataset.deadlinePreviewReady) return;
      input.dataset.deadlinePreviewReady = "1";
      var url = field.getAttribute("data-deadline-preview");
      var output = document.createElement("p");
      output.className = "lt-deadline-preview";
      output.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", output);
      var asked = 0;

      function show() {
        var days = input.value.trim();
        var ask = ++asked;
        if (!days) { output.textContent = ""; return; }
        fetch(url + "?working_days=" + encodeURIComponent(days), {
          headers: { Accept: "application/json" }, credentials: "same-origin",
        })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            if (ask !== asked) return;  // an older answer arriving late
            output.textContent = data.error ? data.error : data.text + ". " + data.rule;
            output.classList.toggle("lt-deadline-preview--error", Boolean(data.error));
          })
          .catch(function () { output.textContent = ""; });
      }

      input.addEventListener("input", show);
      show();
    });
  }

  function later() { window.requestAnimationFrame(setUp); }
  document.addEventListener("turbo:load", later);
  if (document.readyState !== "loading") later();
  else document.addEventListener("DOMContentLoaded", later);
})();
