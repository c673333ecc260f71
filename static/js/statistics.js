/* 统计分析 (第十五条): draws each chart of the page with the vendored ECharts from the figures
   in the json_script element #statistics-data (the same figures as the table beside it). */
(function () {
  "use strict";
  var source = document.getElementById("statistics-data");
  if (!source || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function option(chart) {
    var longest = chart.categories.reduce(function (n, c) { return Math.max(n, c.length); }, 0);
    var horizontal = chart.categories.length > 6 || longest > 8;
    var categoryAxis = {
      type: "category", data: chart.categories,
      axisLabel: { interval: 0, width: 180, overflow: "truncate",
                   rotate: horizontal ? 0 : (chart.categories.length > 4 ? 20 : 0) }
    };
    var valueAxis = { type: "value", minInterval: 1 };
    return {
      animation: false,
      // The tooltip is drawn on the canvas: the page's policy allows no inline style.
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? Object.assign({ inverse: true }, categoryAxis) : valueAxis,
      series: chart.series.map(function (s) {
        return { type: "bar", name: s.name, data: s.data,
                 label: { show: chart.series.length <= 2, position: horizontal ? "right" : "top" } };
      })
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var chart = data[element.getAttribute("data-chart")];
    if (!chart) { return; }
    var instance = window.echarts.init(element, null, { renderer: "canvas" });
    instance.setOption(option(chart));
    charts.push(instance);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (instance) { instance.resize(); });
  });
})();
