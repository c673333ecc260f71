// Forms marked data-once disable their submit buttons after the first submit, so a double
// click sends one request; the server refuses duplicates as well.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.matches("form[data-once]")) return;
  // Held back by another script (autosave.js, until its save answers): not sent, not counted.
  if (event.defaultPrevented) return;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  // form.elements: the buttons of the form, those outside it (form="…") included.
  submitButtons(form).forEach(function (b) {
    b.setAttribute("aria-disabled", "true"); b.classList.add("disabled");
  });
});
function submitButtons(form) {
  return Array.prototype.filter.call(form.elements, function (b) {
    return b.matches("button[type=submit], input[type=submit]");
  });
}
// Coming back to a page from the browser's history shows it as it was left: enable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    delete form.dataset.submitted;
    submitButtons(form).forEach(function (b) {
      b.removeAttribute("aria-disabled"); b.classList.remove("disabled");
    });
  });
});

// Live character counters for text areas with data-maxchars. The rule is the server's
// (core/text.py): text normalised as the form layer does, then user-perceived characters
// (grapheme clusters) counted, so 数 and 👨‍👩‍👧 are one character each.
const LINE_BREAKS = /\r\n|[\r\x0b\x0c\x85\u2028\u2029]/g;
const REMOVED = /[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff]/g;
const graphemes = typeof Intl !== "undefined" && Intl.Segmenter
  ? new Intl.Segmenter("zh", { granularity: "grapheme" }) : null;
function charCount(text) {
  const clean = text.replace(LINE_BREAKS, "\n").replace(REMOVED, "");
  if (graphemes) { let n = 0; for (const _ of graphemes.segment(clean)) n += 1; return n; }
  return Array.from(clean).length;
}
window.portalCharCount = charCount;
function updateCounter(area) {
  const max = parseInt(area.dataset.maxchars, 10);
  const counter = document.getElementById(area.id + "-counter");
  if (!counter) return;
  const n = charCount(area.value);
  counter.textContent = n + " / " + max + " 字";
  counter.classList.toggle("over", n > max);
}
document.addEventListener("input", function (event) {
  if (event.target.matches("textarea[data-maxchars]")) updateCounter(event.target);
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("textarea[data-maxchars]").forEach(updateCounter);
});

// 研发投入占营业收入比例, shown as the two figures are typed: 万元 ÷ (亿元 × 10000). The server
// computes the same ratio from the saved figures; this only spares the user a calculator.
function updateRdRatio(box) {
  const revenue = parseFloat((document.getElementById(box.dataset.revenue) || {}).value);
  const rd = parseFloat((document.getElementById(box.dataset.rd) || {}).value);
  const out = box.querySelector("strong");
  out.textContent = revenue > 0 && rd >= 0 ? (rd / (revenue * 10000) * 100).toFixed(2) + "%" : "—";
}
document.addEventListener("input", function (event) {
  document.querySelectorAll("[data-rd]").forEach(function (box) {
    if (event.target.id === box.dataset.revenue || event.target.id === box.dataset.rd) updateRdRatio(box);
  });
});
