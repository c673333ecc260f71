// Forms with data-confirm="问题" ask before they are sent (instead of inline onsubmit handlers,
// which the Content-Security-Policy forbids). Runs in the capture phase, before the data-once
// guard in portal.js, so a cancelled form stays usable.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.matches("form[data-confirm]")) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
