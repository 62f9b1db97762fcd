/* Warns before a file larger than the limit is uploaded: the file is taken out of its field
   (the other chosen files stay), a message under the field says why, and everything typed
   in the form stays as it is. Without this the browser would send the whole body first and
   the server would answer 413 on a blank page (config/limits.py), losing the form.
   The limit and the message come from this script tag's data attributes, rendered from
   settings.ATTACHMENT_MAX_BYTES (templates/viewflow/includes/viewflow_js.html). One listener
   on the document, in the capture phase: it survives Turbo's page changes, and runs before
   viewflow's own field shows the chosen file names. */
(function () {
  "use strict";
  if (window.ltUploadLimit) return;
  var script = document.currentScript;
  window.ltUploadLimit = {
    maxBytes: parseInt(script.dataset.maxBytes, 10),
    message: script.dataset.message,
  };

  function fieldOf(input) {
    return input.closest("vf-field-file") || input;
  }

  function dropWarning(field) {
    var next = field.nextElementSibling;
    if (next && next.classList.contains("lt-upload-warning")) next.remove();
  }

  function check(event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.files) return;
    var limit = window.ltUploadLimit;
    var kept = new DataTransfer();
    var refused = [];
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.size > limit.maxBytes) refused.push(file.name);
      else kept.items.add(file);
    });
    var field = fieldOf(input);
    dropWarning(field);
    if (!refused.length) return;
    input.files = kept.files;
    var warning = document.createElement("p");
    warning.className = "lt-upload-warning";
    warning.setAttribute("role", "alert");
    warning.textContent = refused.map(function (name) {
      return limit.message.replace("{name}", name);
    }).join(" ");
    field.insertAdjacentElement("afterend", warning);
  }

  document.addEventListener("change", check, true);
  // A warning is about the file just chosen: the page Turbo keeps in its cache goes without.
  document.addEventListener("turbo:before-cache", function () {
    document.querySelectorAll(".lt-upload-warning").forEach(function (warning) {
      warning.remove();
    });
  });
})();
