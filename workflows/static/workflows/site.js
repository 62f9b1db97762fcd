/* Mends for viewflow 2.4's multi-select (<vf-field-select-multiple>), loaded after
   viewflow.min.js. */
(function () {
  "use strict";

  // Opening a multi-select with nothing chosen threw "Cannot read properties of undefined
  // (reading 'focus')": MDC's select foundation focuses the item at the selected index, and
  // a multi-select's selected index is an array ([] when nothing is chosen). Focus the first
  // chosen item, or the first item.
  var MDCSelect = window.viewflow && window.viewflow.MDCSelect;
  if (MDCSelect && !MDCSelect.prototype.ltMultiFocusMended) {
    var adapterMethods = MDCSelect.prototype.getSelectAdapterMethods;
    MDCSelect.prototype.getSelectAdapterMethods = function () {
      var methods = adapterMethods.call(this);
      var focusAt = methods.focusMenuItemAtIndex;
      methods.focusMenuItemAtIndex = function (index) {
        if (Array.isArray(index)) index = index.length ? index[0] : 0;
        focusAt(index);
      };
      return methods;
    };
    MDCSelect.prototype.ltMultiFocusMended = true;
  }

  // The multi-select's list is labelled "Food picker listbox" (a leftover of MDC's demo):
  // screen readers read the field's own label instead.
  function labelLists() {
    document.querySelectorAll("vf-field-select-multiple").forEach(function (field) {
      var list = field.querySelector(".mdc-list[role=group]");
      if (list) list.setAttribute("aria-label", field.getAttribute("label") || "");
    });
  }

  function later() { window.requestAnimationFrame(labelLists); }
  document.addEventListener("turbo:load", later);
  if (document.readyState !== "loading") later();
  else document.addEventListener("DOMContentLoaded", later);
})();
