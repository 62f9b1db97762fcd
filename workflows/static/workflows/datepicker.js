/* The site's one date picker: flatpickr (vendored) in Vietnamese, dd/mm/yyyy, weeks from
   Monday, on every field a DatePickerInput rendered (data-datepicker). viewflow's pages
   change with Turbo, so fields are set up on each turbo:load and torn down before Turbo
   caches the page. viewflow wraps the input in its <vf-field-input> element: the attribute
   may sit on the wrapper or on the input itself. */
(function () {
  "use strict";

  function dateInputs(root) {
    var inputs = [];
    root.querySelectorAll("[data-datepicker]").forEach(function (element) {
      var input = element.tagName === "INPUT" ? element : element.querySelector("input");
      if (input && !input._flatpickr) inputs.push(input);
    });
    return inputs;
  }

  function setUp() {
    if (!window.flatpickr) return;
    dateInputs(document).forEach(function (input) {
      window.flatpickr(input, {
        locale: Object.assign({}, window.flatpickr.l10ns.vn, { firstDayOfWeek: 1 }),
        dateFormat: "d/m/Y",
        allowInput: true,
        disableMobile: true,
        // viewflow's Material field floats its label on input events.
        onChange: function () { input.dispatchEvent(new Event("input", { bubbles: true })); },
      });
    });
  }

  function tearDown() {
    document.querySelectorAll("input").forEach(function (input) {
      if (input._flatpickr) input._flatpickr.destroy();
    });
  }

  // Custom elements render their inputs when connected: wait a frame after the load.
  function later() { window.requestAnimationFrame(setUp); }
  document.addEventListener("turbo:load", later);
  document.addEventListener("turbo:before-cache", tearDown);
  if (document.readyState !== "loading") later();
  else document.addEventListener("DOMContentLoaded", later);
})();
