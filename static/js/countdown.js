// The call page's countdown to the closing time: <p id="countdown" data-closes="ISO time">.
(function () {
  const el = document.getElementById("countdown");
  if (!el) return;
  const closes = new Date(el.dataset.closes);
  function tick() {
    let s = Math.max(0, Math.floor((closes - new Date()) / 1000));
    const d = Math.floor(s / 86400); s %= 86400;
    const h = Math.floor(s / 3600); s %= 3600;
    const m = Math.floor(s / 60); s %= 60;
    el.textContent = "距截止还有 " + d + " 天 " + h + " 小时 " + m + " 分 " + s + " 秒";
  }
  tick(); setInterval(tick, 1000);
})();
