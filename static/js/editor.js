// A small editor for news items and 典型案例 (centers/publicity_forms.py EditorTextarea).
//
// Each <textarea data-editor> gets a toolbar (加粗, 斜体, 小标题, 列表, 引用, 链接) and an editable
// area; the area's HTML is written back into the text area on every change, so the form posts
// HTML as it would post typed text (and the autosave sees an ordinary input event). Without
// this script the text area stays a plain text area. The server cleans whatever arrives
// (centers.publicity.sanitise); the text area's value is read through an inert document and
// only the same allowed tags are copied into the editable area, so nothing in it ever runs.
(function () {
  "use strict";
  var ALLOWED = {P: 1, BR: 1, STRONG: 1, EM: 1, B: 1, I: 1, U: 1, H3: 1, H4: 1, UL: 1, OL: 1,
                 LI: 1, BLOCKQUOTE: 1, A: 1};
  var DROPPED = {SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1, NOSCRIPT: 1,
                 TEXTAREA: 1, SELECT: 1, SVG: 1, MATH: 1, TITLE: 1};
  var SAFE_LINK = /^(https?:\/\/|mailto:)/i;

  function copyAllowed(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === 3) {
        target.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1) {
        var name = node.nodeName.toUpperCase();
        if (DROPPED[name]) return;
        if (!ALLOWED[name]) { copyAllowed(node, target); return; }
        var copy = document.createElement(name.toLowerCase());
        if (name === "A") {
          var href = (node.getAttribute("href") || "").trim();
          if (SAFE_LINK.test(href)) copy.setAttribute("href", href);
          copy.setAttribute("rel", "noopener noreferrer");
        }
        copyAllowed(node, copy);
        target.appendChild(copy);
      }
    });
  }

  function textToHtml(text) {
    var doc = document.implementation.createHTMLDocument("");
    var box = doc.createElement("div");
    text.replace(/\r\n/g, "\n").split(/\n\s*\n/).forEach(function (paragraph) {
      if (!paragraph.trim()) return;
      var p = doc.createElement("p");
      paragraph.trim().split("\n").forEach(function (line, index) {
        if (index) p.appendChild(doc.createElement("br"));
        p.appendChild(doc.createTextNode(line));
      });
      box.appendChild(p);
    });
    return box.innerHTML;
  }

  function load(area, value) {
    if (value.indexOf("<") === -1) value = textToHtml(value);
    // DOMParser documents are inert: no script runs, no image loads.
    var parsed = new DOMParser().parseFromString("<body>" + value + "</body>", "text/html");
    while (area.firstChild) area.removeChild(area.firstChild);
    copyAllowed(parsed.body, area);
  }

  var BUTTONS = [
    {label: "加粗", command: "bold", icon: "bi-type-bold"},
    {label: "斜体", command: "italic", icon: "bi-type-italic"},
    {label: "小标题", command: "formatBlock", value: "h3", icon: "bi-type-h3"},
    {label: "正文段落", command: "formatBlock", value: "p", icon: "bi-paragraph"},
    {label: "项目列表", command: "insertUnorderedList", icon: "bi-list-ul"},
    {label: "编号列表", command: "insertOrderedList", icon: "bi-list-ol"},
    {label: "引用", command: "formatBlock", value: "blockquote", icon: "bi-quote"},
    {label: "链接", command: "createLink", icon: "bi-link-45deg"},
    {label: "取消链接", command: "unlink", icon: "bi-link"},
  ];

  function enhance(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor border rounded";
    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor-toolbar btn-toolbar gap-1 p-1 border-bottom bg-body-tertiary";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "格式");
    var area = document.createElement("div");
    area.className = "rich-editor-area rich-text p-2";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = textarea.id && document.querySelector("label[for='" + textarea.id + "']");
    if (label) area.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    load(area, textarea.value);

    function sync(notify) {
      textarea.value = area.innerHTML;
      if (notify) textarea.dispatchEvent(new Event("input", {bubbles: true}));
    }

    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.title = spec.label;
      button.setAttribute("aria-label", spec.label);
      var icon = document.createElement("i");
      icon.className = "bi " + spec.icon;
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        area.focus();
        var value = spec.value || null;
        if (spec.command === "createLink") {
          value = window.prompt("链接地址（以 https:// 、http:// 或 mailto: 开头）", "https://");
          if (!value || !SAFE_LINK.test(value.trim())) return;
          value = value.trim();
        }
        document.execCommand(spec.command, false, value);
        sync(true);
      });
      toolbar.appendChild(button);
    });

    area.addEventListener("input", function () { sync(false); });
    area.addEventListener("blur", function () { sync(false); });
    // Pasted text comes in as text: formatting from Word or a web page is not carried over.
    area.addEventListener("paste", function (event) {
      var text = event.clipboardData && event.clipboardData.getData("text/plain");
      if (text === undefined || text === null) return;
      event.preventDefault();
      document.execCommand("insertText", false, text);
      sync(true);
    });
    if (textarea.form) textarea.form.addEventListener("submit", function () { sync(false); }, true);

    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.classList.add("d-none");
    textarea.hidden = true;  // Django admin has no .d-none
    // A hidden required field would stop the form without a word; the server checks the body.
    textarea.removeAttribute("required");
    textarea.setAttribute("aria-hidden", "true");
    textarea.parentNode.insertBefore(wrapper, textarea.nextSibling);
    sync(false);
  }

  try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (error) { /* old */ }
  function enhanceAll() { document.querySelectorAll("textarea[data-editor]").forEach(enhance); }
  // Django admin loads a form's media in <head>, before the text area exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
