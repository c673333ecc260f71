// Forms marked data-confirm ask before they are sent (撤回申报, 提交申报); buttons marked
// data-print open the browser's print dialog (申报回执). No inline handlers in templates.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.matches("form[data-confirm]")) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-print]");
  if (!button) return;
  event.preventDefault();
  window.print();
});
