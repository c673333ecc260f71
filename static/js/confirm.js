// Forms with data-confirm="问题" ask before they are sent (instead of inline onsubmit handlers,
// which the Content-Security-Policy forbids); a submit button with its own data-confirm asks
// only when it is the one pressed. Runs in the capture phase, before the data-once guard in
// portal.js, so a cancelled form stays usable. A form whose data-confirmed is 1 is not asked.
document.addEventListener("submit", function (event) {
  const form = event.target;
  // Sent again by a script after it was asked (autosave.js waits for its save): not twice.
  if (form.dataset.confirmed === "1") return;
  const button = event.submitter;
  // A button shown as disabled (portal.js, autosave.js) neither asks nor sends.
  if (button && button.getAttribute("aria-disabled") === "true") {
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (!question) return;
  if (!window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
