// The steps of the 申报表 (templates/applications/step.html).

// 一、单位基本情况（联合承建主体）: the joint unit's fields are shown only while 有联合承建主体 is
// chosen; with 无 (or nothing chosen yet) they are hidden, and the server ignores them.
document.addEventListener("DOMContentLoaded", function () {
  const fieldset = document.getElementById("joint-unit-fields");
  if (!fieldset) return;
  const radios = document.querySelectorAll('input[name="' + fieldset.dataset.jointChoice + '"]');
  function update() {
    const chosen = Array.from(radios).find(function (r) { return r.checked; });
    fieldset.hidden = !(chosen && chosen.value === "1");
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
});
