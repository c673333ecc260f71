// 一张图 (第十五条): draws Qingdao's districts with the vendored ECharts from the portal's own
// boundary file, coloured by the number of designated centers, with the centers that entered
// their coordinates as points. Everything comes from the portal itself (no CDN, no map
// service): the boundary file and the JSON endpoints named in the box's data- attributes.
(function () {
  "use strict";

  // The filters apply as soon as one is changed (the button stays for keyboards without JS).
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { field.form.submit(); });
  });

  const box = document.getElementById("map-chart");
  const status = document.getElementById("map-status");
  if (!box) return;
  if (typeof window.echarts === "undefined") {
    status.textContent = "地图组件未能加载，请使用下方表格查看数据。";
    return;
  }

  const query = box.dataset.query || "";
  const filters = new URLSearchParams(query);
  const showRevoked = filters.get("revoked") === "1";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
  }

  function withQuery(url, extra) {
    const params = new URLSearchParams(query);
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    const text = params.toString();
    return text ? url + "?" + text : url;
  }

  function centerUrl(pk) {
    return box.dataset.centerUrl.replace(/\/0\/$/, "/" + pk + "/");
  }

  function dateText(iso) {
    if (!iso) return "";
    const parts = iso.split("-");
    return parts[0] + "年" + Number(parts[1]) + "月" + Number(parts[2]) + "日";
  }

  // The staff map's rows carry the latest published evaluation grade (第十七条).
  function gradeText(center) {
    if (center.grade_label === undefined) return "";
    if (!center.grade_label) return "暂无已公布的评价结果";
    return center.grade_year + "年度评价结果：" + center.grade_label;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- the list of one region's centers, beside the map ---------------------------------------
  const regionTitle = document.getElementById("region-title");
  const regionBody = document.getElementById("region-body");

  function showRegion(region, label, departmentKey) {
    regionTitle.textContent = label + "的赋能中心";
    regionBody.replaceChildren(element("p", "text-body-secondary mb-0", "加载中……"));
    getJSON(withQuery(box.dataset.centersUrl, { region: region })).then(function (found) {
      regionBody.replaceChildren();
      if (!found.centers.length) {
        regionBody.append(element("p", "text-body-secondary mb-0",
          "该区域暂无符合条件的赋能中心。"));
        return;
      }
      const list = element("ul", "list-unstyled mb-2");
      list.id = "region-list";
      found.centers.forEach(function (center) {
        const item = element("li", "mb-2");
        item.dataset.center = center.pk;
        const link = element("a", "fw-semibold", center.name);
        link.href = centerUrl(center.pk);
        item.append(link);
        if (center.status !== "active") {
          item.append(" ", element("span", "badge text-bg-secondary", center.status_label));
        }
        const facts = [center.unit, center.field, "认定于" + dateText(center.designated_on)];
        if (center.revoked_on) facts.push("撤销于" + dateText(center.revoked_on));
        if (gradeText(center)) facts.push(gradeText(center));
        item.append(element("div", "text-body-secondary", facts.filter(Boolean).join(" · ")));
        list.append(item);
      });
      regionBody.append(element("p", "mb-2", "共 " + found.centers.length +
        (found.more ? "+" : "") + " 家" + (found.more ? "（仅列出前" + found.centers.length +
        "家，请到名录中查看全部）" : "") + "："), list);
      const directory = new URLSearchParams();
      directory.set("department", departmentKey);
      ["field", "year"].forEach(function (key) {
        if (filters.get(key)) directory.set(key, filters.get(key));
      });
      const more = element("a", "small", "在赋能中心名录中查看（有效的赋能中心）");
      more.href = box.dataset.directoryUrl + "?" + directory.toString();
      regionBody.append(more);
    }).catch(function () {
      regionBody.replaceChildren(element("p", "text-danger mb-0", "加载失败，请稍后重试。"));
    });
  }

  document.querySelectorAll("[data-region]").forEach(function (button) {
    button.addEventListener("click", function () {
      showRegion(button.dataset.region, button.dataset.regionName, button.dataset.region);
    });
  });

  // --- the chart ------------------------------------------------------------------------------
  // Where a district's label stands (longitude, latitude), by region code, for the districts
  // too small at the first zoom to hold their names side by side: 市南区 and 市北区, 李沧区 and
  // 崂山区 fell on one another at 1280 px wide. The labels of 市南区 go out to sea, of 市北区
  // and 李沧区 onto 胶州湾 beside their shores, of 崂山区 into its eastern part. A boundary file
  // may carry its own (`cp` in a feature's properties, ECharts' label point), which wins.
  const LABEL_POINTS = {
    "370202": [120.40, 36.03],  // 市南区
    "370203": [120.26, 36.11],  // 市北区
    "370213": [120.29, 36.185], // 李沧区
    "370212": [120.62, 36.20],  // 崂山区
  };

  function draw(geo, data) {
    geo.features.forEach(function (feature) {
      const point = LABEL_POINTS[feature.properties.code];
      if (point && !feature.properties.cp) feature.properties.cp = point;
    });
    echarts.registerMap("qingdao", geo);
    const featureName = {};
    geo.features.forEach(function (feature) {
      featureName[feature.properties.code] = feature.properties.name;
    });
    const byName = {};
    const regions = data.districts.filter(function (d) { return featureName[d.code]; })
      .map(function (d) {
        const item = { name: featureName[d.code], value: d.count, code: d.code, key: d.key,
          label: d.name, active: d.active, revoked: d.revoked };
        byName[item.name] = item;
        return item;
      });
    const highest = Math.max(1, ...regions.map(function (r) { return r.value; }));
    const point = function (center) {
      return { name: center.name, value: [center.longitude, center.latitude], center: center };
    };
    const activePoints = data.points.filter(function (p) { return p.status === "active"; });
    const revokedPoints = data.points.filter(function (p) { return p.status !== "active"; });
    const series = [
      { type: "map", name: "赋能中心数量", geoIndex: 0, data: regions },
      { type: "scatter", name: "赋能中心位置", coordinateSystem: "geo", symbolSize: 10,
        itemStyle: { color: "#d9480f", borderColor: "#ffffff", borderWidth: 1 },
        data: activePoints.map(point) },
    ];
    const legend = ["赋能中心位置"];
    if (showRevoked) {
      series.push({ type: "scatter", name: "已撤销的赋能中心", coordinateSystem: "geo",
        symbol: "diamond", symbolSize: 10, itemStyle: { color: "#6c757d" },
        data: revokedPoints.map(point) });
      legend.push("已撤销的赋能中心");
    }

    const chart = echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      title: { text: "赋能中心分布示意图", subtext: "区（市）界线仅为示意，不作为权属界线依据",
        left: 8, top: 4, textStyle: { fontSize: 15 }, subtextStyle: { fontSize: 11 } },
      tooltip: {
        trigger: "item", renderMode: "richText",
        formatter: function (params) {
          if (params.seriesType === "scatter" && params.data && params.data.center) {
            const c = params.data.center;
            const lines = [c.name, c.department + (c.field ? " · " + c.field : "")];
            if (c.address) lines.push(c.address);
            if (gradeText(c)) lines.push(gradeText(c));
            if (c.status !== "active") lines.push("已撤销（" + dateText(c.revoked_on) + "）");
            return lines.join("\n");
          }
          const item = byName[params.name];
          if (!item) return params.name;
          let text = item.label + "\n有效的赋能中心：" + item.active + " 家";
          if (showRevoked || item.revoked) text += "\n已撤销：" + item.revoked + " 家";
          return text + "\n点击查看名单";
        },
      },
      legend: { data: legend, right: 8, bottom: 8, orient: "vertical" },
      visualMap: { type: "continuous", seriesIndex: 0, min: 0, max: highest, text: ["多", "少"],
        calculable: false, left: 8, bottom: 8, itemHeight: 100,
        inRange: { color: ["#eef4fb", "#9ec5ee", "#1f5fa8"] },
        formatter: function (value) { return Math.round(value) + " 家"; } },
      geo: { map: "qingdao", roam: true, top: 60, bottom: 20, selectedMode: false,
        label: { show: true, fontSize: 11, color: "#1b2a3a" },
        itemStyle: { areaColor: "#eef4fb", borderColor: "#6f8299", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd27f" } } },
      series: series,
    });
    chart.on("click", function (params) {
      if (params.seriesType === "scatter" && params.data && params.data.center) {
        window.location.href = centerUrl(params.data.center.pk);
        return;
      }
      const item = byName[params.name];
      if (item) showRegion(item.code, item.label, String(item.key));
    });
    window.addEventListener("resize", function () { chart.resize(); });
    // Opened from a center's page (?center=<pk>): the map centred on its point, its tooltip open.
    const focus = Number(box.dataset.focus || 0);
    const focused = focus && data.points.find(function (p) { return p.pk === focus; });
    if (focused) {
      chart.setOption({ geo: { center: [focused.longitude, focused.latitude], zoom: 4 } });
      const seriesIndex = focused.status === "active" ? 1 : 2;
      const dataIndex = (focused.status === "active" ? activePoints : revokedPoints)
        .indexOf(focused);
      chart.dispatchAction({ type: "showTip", seriesIndex: seriesIndex, dataIndex: dataIndex });
      box.dataset.focused = String(focus);
    }
    status.textContent = "";
    box.dataset.ready = "1";
  }

  Promise.all([getJSON(box.dataset.geoUrl), getJSON(withQuery(box.dataset.dataUrl))])
    .then(function (loaded) { draw(loaded[0], loaded[1]); })
    .catch(function () {
      status.textContent = "地图数据加载失败，请刷新页面重试；下方表格中的数据不受影响。";
    });
})();
