// Buttons marked data-print open the browser's print dialog (申报回执). No inline handlers in
// templates: the Content-Security-Policy forbids them.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-print]");
  if (!button) return;
  event.preventDefault();
  window.print();
});
