/* The import page: once Import is pressed, say that the import is running and how long it can
 * take, and keep a second press from sending the file again. The page works without this file:
 * it says the same beside the button, and the server refuses a second import that overlaps. */
(function () {
  "use strict";

  var box = document.querySelector(".import-upload");
  if (!box) return;
  var form = box.querySelector("form");
  var button = form && form.querySelector("button[type=submit]");
  var status = box.querySelector(".import-status");
  if (!form || !button || !status) return;
  var label = button.textContent;
  var note = status.textContent;

  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    button.textContent = "Importing…";
    button.setAttribute("aria-disabled", "true");
    status.textContent = box.dataset.importing;
    status.classList.remove("text-muted");
    status.classList.add("fw-semibold");
  });

  // Back to the page from the browser's history: ready for another file.
  window.addEventListener("pageshow", function () {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    button.textContent = label;
    button.removeAttribute("aria-disabled");
    status.textContent = note;
    status.classList.add("text-muted");
    status.classList.remove("fw-semibold");
  });
})();
