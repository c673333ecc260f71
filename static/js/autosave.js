// Nothing typed is lost on the application steps (applications/drafts.py explains the whole).
//
// - Autosave: every change marks the form unsaved; the valid fields are posted to the step's
//   autosave URL at most every data-autosave-interval seconds, and once more when the page is
//   left (fetch keepalive, or sendBeacon). The page says 已自动保存 hh:mm.
// - Leaving with unsaved changes asks first (beforeunload), unless the form itself is sent.
// - A click on the form's own button while an autosave is on its way waits for its answer
//   (正在保存，请稍候…): the answer moves hidden fields on (a version, the draft token), and the
//   form sent with the old ones would be refused as an edit conflict with its own autosave.
//   Then the form goes once, by the same button, whatever the autosave's answer was.
// - The session: a few minutes before it would end the page warns and offers 保持登录; once
//   it has ended, the server holds what is posted for the user and the page says 登录已超时.
// - Text held while signed out comes back in #held-draft (json_script) and is put back into
//   the form as unsaved typing, so it is saved the same way as anything typed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) return;

  var url = form.dataset.autosaveUrl;
  var interval = (parseFloat(form.dataset.autosaveInterval) || 30) * 1000;
  var sessionAge = (parseFloat(form.dataset.sessionAge) || 1800) * 1000;
  var warnBefore = Math.min((parseFloat(form.dataset.sessionWarning) || 300) * 1000,
                            sessionAge / 2);
  var statusBox = document.getElementById("autosave-status");
  var warningBox = document.getElementById("session-warning");
  var warningText = document.getElementById("session-warning-text");
  var expiredBox = document.getElementById("session-expired");
  var expiredText = document.getElementById("session-expired-text");
  var loginLink = document.getElementById("session-login-link");

  var dirty = false;        // changes the server has not saved yet
  var changes = 0;          // counts edits, so a save does not clear an edit made meanwhile
  var sending = false;      // the form itself is being submitted
  var inFlight = false;
  var waiting = null;       // {submitter}: a submit of the form waits for the autosave in flight
  var expired = false;
  var lastSave = 0;
  var timer = null;
  var sessionStart = Date.now();

  function show(box, visible) { if (box) box.classList.toggle("d-none", !visible); }
  function say(text) { if (statusBox) statusBox.textContent = text; }

  function csrfToken() {
    // The cookie is current even after signing in again in another tab; the field may not be.
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return match ? decodeURIComponent(match[1]) : (field ? field.value : "");
  }

  function payload() {
    var data = new FormData(form);
    data.set("csrfmiddlewaretoken", csrfToken());
    return data;
  }

  function sessionTouched() {
    sessionStart = Date.now();
    show(warningBox, false);
  }

  function sessionEnded(body) {
    expired = true;
    show(warningBox, false);
    if (body && typeof body.held === "boolean" && expiredText) {
      expiredText.textContent = body.message.replace(/^登录已超时，?/, "");
    }
    if (loginLink) loginLink.href = (body && body.login_url) || form.dataset.loginUrl;
    show(expiredBox, true);
    if (body && body.held) {
      dirty = false;  // the server holds the text: signing in again puts it back
      say("登录已超时，已填写的内容已为您保留。");
    }
  }

  function schedule() {
    // Signed out, a save still goes: the server holds its text for the user.
    if (timer || !dirty) return;
    var wait = Math.max(0, lastSave + interval - Date.now());
    timer = window.setTimeout(function () { timer = null; save(); }, wait);
  }

  function save() {
    if (!dirty || inFlight || sending) return;
    inFlight = true;
    lastSave = Date.now();
    var seen = changes;
    window.fetch(url, {
      method: "POST", body: payload(), credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"},
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return {status: response.status, body: body};
      });
    }).then(function (result) {
      var body = result.body;
      if (result.status === 200) {
        if (changes === seen) dirty = false;
        sessionTouched();
        if (body.token) {
          var field = form.querySelector("[name=draft_token]");
          if (field) field.value = body.token;
        }
        // Hidden fields the save moved on (a score sheet's version).
        Object.keys(body.fields || {}).forEach(function (name) {
          var hidden = form.querySelector("input[type=hidden][name='" + name + "']");
          if (hidden) hidden.value = body.fields[name];
        });
        var note = body.invalid && body.invalid.length
          ? "（" + body.invalid.join("、") + "尚未填写完整或有误，暂未保存）" : "";
        say("已自动保存 " + body.saved_at + note);
      } else if (result.status === 401) {
        sessionEnded(body);
      } else {
        say(body.message || "自动保存未成功，请点击“保存草稿”。");
      }
    }).catch(function () {
      say("网络连接中断，自动保存未成功；连接恢复后会再次尝试。");
    }).then(function () {
      inFlight = false;
      if (waiting) submitWaiting();
      else schedule();
    });
  }

  function changed() {
    dirty = true;
    changes += 1;
    schedule();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  function buttons() {
    // form.elements: the buttons of the form, those outside it (form="…") included.
    return Array.prototype.filter.call(form.elements, function (b) {
      return b.matches("button[type=submit], input[type=submit]");
    });
  }
  function buttonsOff(off) {
    // Not `disabled`: a disabled button would not send its name and value.
    buttons().forEach(function (b) {
      if (off) { b.setAttribute("aria-disabled", "true"); b.classList.add("disabled"); }
      else { b.removeAttribute("aria-disabled"); b.classList.remove("disabled"); }
    });
  }

  function submitWaiting() {
    var submitter = waiting.submitter;
    var answer = statusBox ? statusBox.textContent : "";  // what the autosave's answer said
    waiting = null;
    say("正在保存，请稍候…");
    if (typeof form.requestSubmit === "function") {
      // Asked once already: confirm.js does not ask again (form.dataset.confirmed).
      form.dataset.confirmed = "1";
      try {
        form.requestSubmit(submitter);
      } finally {
        delete form.dataset.confirmed;
      }
      if (!sending) {  // refused by the browser's own checks (a required field): usable again
        buttonsOff(false);
        say(answer);
        schedule();
      }
      return;
    }
    if (submitter && submitter.name) {
      var carrier = document.createElement("input");
      carrier.type = "hidden";
      carrier.name = submitter.name;
      carrier.value = submitter.value;
      form.appendChild(carrier);
    }
    sending = true;  // form.submit() fires no submit event
    form.submit();
  }

  form.addEventListener("submit", function (event) {
    if (waiting) {  // a second click while waiting
      event.preventDefault();
      return;
    }
    // evaluation-evidence.js tells of leaving with a synthetic, uncancelable event.
    if (inFlight && event.cancelable && !event.defaultPrevented) {
      event.preventDefault();
      waiting = {submitter: event.submitter || null};
      buttonsOff(true);
      say("正在保存，请稍候…");
      return;
    }
    sending = true;
  });
  // Back from the browser's history the page is live again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    sending = false;
    buttonsOff(false);
  });

  // Leaving the page: one last save of what is unsaved, and ask first.
  function saveOnLeave() {
    if (!dirty || sending) return;
    var data = payload();
    if (inFlight) {
      // The autosave still out moves these counters on by one (a case's version): sent with
      // the old ones, this last save was refused as a conflict with that autosave and what
      // was typed meanwhile was lost. Had that autosave failed, this one is refused as before.
      form.querySelectorAll("input[type=hidden][data-autosave-counter]").forEach(function (f) {
        var n = parseInt(f.value, 10);
        if (!isNaN(n)) data.set(f.name, String(n + 1));
      });
    }
    var sent = false;
    try {
      window.fetch(url, {method: "POST", body: data, credentials: "same-origin", keepalive: true,
                         headers: {"X-CSRFToken": csrfToken()}});
      sent = true;
    } catch (error) { sent = false; }  // a body over the keepalive limit
    if (!sent && navigator.sendBeacon) navigator.sendBeacon(url, data);
  }
  window.addEventListener("beforeunload", function (event) {
    if (!dirty || sending) return;
    event.preventDefault();
    event.returnValue = "";
  });
  window.addEventListener("pagehide", saveOnLeave);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && !sending) save();
  });

  // The session clock: warn before it ends, offer to stay signed in.
  function tick() {
    if (expired) return;
    var left = sessionStart + sessionAge - Date.now();
    if (left <= 0) {
      // By this page's clock the session is over; another tab may have kept it alive.
      if (!checking) keepAlive(false);
      return;
    }
    if (left <= warnBefore) {
      var minutes = Math.max(1, Math.ceil(left / 60000));
      if (warningText) warningText.textContent = "您已较长时间没有操作，登录将在约 " + minutes + " 分钟后超时。";
      show(warningBox, true);
    }
  }
  window.setInterval(tick, 1000);

  var checking = false;
  function keepAlive(asked) {
    checking = true;
    window.fetch(form.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"},
    }).then(function (response) {
      if (response.ok) {
        sessionTouched();
        if (asked) say("已保持登录。");
      } else {
        return response.json().catch(function () { return {}; }).then(function (body) {
          body.login_url = body.login_url || form.dataset.loginUrl;
          sessionEnded(body);
        });
      }
    }).catch(function () {
      if (asked) say("网络连接中断，请稍后再试。");
    }).then(function () { checking = false; });
  }
  var stay = document.getElementById("session-keepalive");
  if (stay) stay.addEventListener("click", function () { keepAlive(true); });

  // Text held while signed out: back into the form, as unsaved typing.
  var held = document.getElementById("held-draft");
  if (held) {
    var data = JSON.parse(held.textContent);
    lastSave = Date.now();  // the first autosave of the restored text after one interval
    Object.keys(data).forEach(function (name) {
      var values = data[name];
      form.querySelectorAll("[name='" + name.replace(/'/g, "\\'") + "']").forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.indexOf(field.value) !== -1;
        } else if (field.tagName === "SELECT" && field.multiple) {
          Array.prototype.forEach.call(field.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else if (field.type !== "file" && field.type !== "hidden") {
          field.value = values[0] || "";
        }
        field.dispatchEvent(new Event("input", {bubbles: true}));
      });
    });
    say("已恢复登录超时前填写的内容，尚未保存。");
  }
})();
