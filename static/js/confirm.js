// Forms with data-confirm="问题" ask before they are sent (instead of inline onsubmit handlers,
// which the Content-Security-Policy forbids); a submit button with its own data-confirm asks
// only when it is the one pressed. Runs in the capture phase, before the data-once guard in
// portal.js, so a cancelled form stays usable.
document.addEventListener("submit", function (event) {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (!question) return;
  if (!window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
