// 人才地图's charts (rencai/analytics), drawn from the JSON each page embeds (json_script): the choropleth of the
// viewer's districts (or ranked bars when no boundaries are loaded), bar charts, the monthly flows and the Sankey.
// A static file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  if (typeof echarts === "undefined") return;
  var phone = window.matchMedia("(max-width: 900px)").matches;
  var BLUE = "#1f5fa8", LIGHT = "#dbe8f6", RED = "#d92d20", GREEN = "#079455";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function chartIn(box) {
    var chart = echarts.init(box, null, {renderer: "canvas"});
    // redrawn at the box's new size (a phone turned, a window narrowed)
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(function () { chart.resize(); }).observe(box);
    else window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  function barsHeight(n) { return Math.max(220, n * 30 + 60); }
  function horizontalBars(box, labels, values, name, onClick) {
    // most first from the top: the category axis runs bottom-up, so reverse
    box.style.height = barsHeight(labels.length) + "px";
    var chart = chartIn(box);
    chart.setOption({
      animation: false, tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      grid: {left: 8, right: 40, top: 10, bottom: 20, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", data: labels.slice().reverse(), axisLabel: {width: phone ? 90 : 180, overflow: "truncate"}},
      series: [{type: "bar", name: name, data: values.slice().reverse(), itemStyle: {color: BLUE},
                label: {show: true, position: "right"}}]
    });
    if (onClick) chart.on("click", function (p) { onClick(labels.length - 1 - p.dataIndex); });
    return chart;
  }

  // The map: a choropleth of the districts, or ranked bars without boundaries.
  var figures = data("map-data");
  var mapBox = document.getElementById("map-chart");
  if (figures && mapBox) {
    var go = function (code) { window.location.href = figures.district_url.replace("{code}", code); };
    var geo = data("map-geojson");
    var byName = {};
    figures.districts.forEach(function (d) { byName[d.name] = d; });
    var tip = function (name) {
      var d = byName[name];
      if (!d) return name;
      var lines = [name + "：" + d.total + " 人"];
      if (figures.series.length > 1) {
        figures.series.forEach(function (label, i) { lines.push(label + " " + d.values[i]); });
      }
      return lines.join("<br>");
    };
    if (geo) {
      echarts.registerMap("rencai-districts", geo);
      var chart = chartIn(mapBox);
      chart.setOption({
        animation: false,
        tooltip: {trigger: "item", formatter: function (p) { return tip(p.name); }},
        visualMap: {min: 0, max: Math.max(figures.most, 1), left: 8, bottom: 8, text: ["多", "少"],
                    calculable: !phone, itemHeight: phone ? 80 : 120, inRange: {color: [LIGHT, BLUE]}},
        series: [{type: "map", map: "rencai-districts", name: figures.measure, selectedMode: false,
                  label: {show: !phone || figures.districts.length <= 3, fontSize: 11},
                  emphasis: {label: {show: true}, itemStyle: {areaColor: "#f79009"}},
                  data: figures.districts.map(function (d) { return {name: d.name, value: d.total, code: d.code}; })}]
      });
      chart.on("click", function (p) { if (p.data && p.data.code) go(p.data.code); });
    } else {
      var ranked = figures.districts.slice().sort(function (a, b) { return b.total - a.total || (a.code < b.code ? -1 : 1); });
      horizontalBars(mapBox, ranked.map(function (d) { return d.name; }), ranked.map(function (d) { return d.total; }),
                     figures.measure, function (i) { go(ranked[i].code); });
    }
  }

  // Bar charts: a box with data-bars naming its JSON ({labels, values}).
  Array.prototype.forEach.call(document.querySelectorAll("[data-bars]"), function (box) {
    var d = data(box.getAttribute("data-bars"));
    if (d && d.labels.length) horizontalBars(box, d.labels, d.values, box.getAttribute("data-title") || "人数");
  });

  // 流动: monthly inflow, outflow and net.
  var flows = data("flows-data");
  var flowsBox = document.getElementById("flows-chart");
  if (flows && flowsBox) {
    chartIn(flowsBox).setOption({
      animation: false, tooltip: {trigger: "axis"}, legend: {data: ["流入", "流出", "净流入"], top: 0},
      grid: {left: 8, right: 16, top: 36, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: flows.months}, yAxis: {type: "value", minInterval: 1},
      series: [{name: "流入", type: "bar", data: flows.inflow, itemStyle: {color: GREEN}},
               {name: "流出", type: "bar", data: flows.outflow, itemStyle: {color: RED}},
               {name: "净流入", type: "line", data: flows.net, itemStyle: {color: BLUE}}]
    });
  }
  var industries = data("industry-flows-data");
  var industryBox = document.getElementById("industry-flows-chart");
  if (industries && industryBox) {
    industryBox.style.height = barsHeight(industries.labels.length) + "px";
    chartIn(industryBox).setOption({
      animation: false, tooltip: {trigger: "axis", axisPointer: {type: "shadow"}}, legend: {data: ["流入", "流出"], top: 0},
      grid: {left: 8, right: 30, top: 30, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", data: industries.labels.slice().reverse()},
      series: [{name: "流入", type: "bar", data: industries.inflow.slice().reverse(), itemStyle: {color: GREEN}},
               {name: "流出", type: "bar", data: industries.outflow.slice().reverse(), itemStyle: {color: RED}}]
    });
  }
  // 流动: moves between districts (sources on the left "（迁出）", targets on the right "（迁入）": no cycles).
  var sankey = data("sankey-data");
  var sankeyBox = document.getElementById("sankey-chart");
  if (sankey && sankeyBox) {
    chartIn(sankeyBox).setOption({
      animation: false, tooltip: {trigger: "item"},
      series: [{type: "sankey", left: 8, right: phone ? 100 : 160, top: 8, bottom: 8, nodeGap: 6,
                emphasis: {focus: "adjacency"}, lineStyle: {color: "gradient", opacity: 0.4},
                label: {fontSize: phone ? 10 : 12},
                data: sankey.nodes.map(function (n) { return {name: n}; }), links: sankey.links}]
    });
  }
})();
