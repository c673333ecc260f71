// The evidence forms of the evaluation materials (evaluations/material_views.py): uploading or
// removing a file leaves the page, so what is typed in the materials form is saved first (its
// autosave URL), then the form goes without the browser's "leave the page?" question.
(function () {
  "use strict";
  var main = document.querySelector("form[data-autosave-url]");
  if (!main) return;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var field = main.querySelector("[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : (field ? field.value : "");
  }

  document.querySelectorAll("form[data-saves-first]").forEach(function (upload) {
    upload.addEventListener("submit", function (event) {
      if (upload.dataset.saved === "1") return;
      event.preventDefault();
      var data = new FormData(main);
      data.set("csrfmiddlewaretoken", csrfToken());
      function go() {
        upload.dataset.saved = "1";
        // Tells autosave.js the page is left on purpose (a synthetic event sends nothing).
        main.dispatchEvent(new Event("submit"));
        upload.submit();
      }
      window.fetch(main.dataset.autosaveUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"},
      }).then(go, go);
    });
  });
})();
