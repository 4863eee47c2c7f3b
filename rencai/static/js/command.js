// 指挥调度展示平台: the districts' choropleth, drawn from the page's boundaries (#command-geojson, sent once) and the
// districts panel's figures (#command-map-data, sent again with every refresh of the panel), and drawn again
// after each htmx refresh. A static file: the Content-Security-Policy allows no inline script.
(function () {
  if (typeof echarts === "undefined") return;
  var registered = false;

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function draw() {
    var box = document.getElementById("command-map");
    var geo = json("command-geojson");
    var figures = json("command-map-data");
    if (!box || !geo || !figures || box.getAttribute("data-drawn")) return;
    if (!registered) { echarts.registerMap("rencai-command", geo); registered = true; }
    box.setAttribute("data-drawn", "1");
    var most = Math.max.apply(null, figures.map(function (d) { return d.value; }).concat([1]));
    var chart = echarts.init(box, null, {renderer: "canvas"});
    chart.setOption({
      animation: false,
      tooltip: {trigger: "item", formatter: function (p) { return p.name + "：" + (p.value || 0) + " 人"; }},
      visualMap: {min: 0, max: most, left: 4, bottom: 4, text: ["多", "少"], itemHeight: 80,
                  textStyle: {color: "#c6d4e3"}, inRange: {color: ["#16324f", "#3fa7ff", "#ffd166"]}},
      series: [{type: "map", map: "rencai-command", selectedMode: false,
                label: {show: true, color: "#e6edf5", fontSize: 11},
                itemStyle: {borderColor: "#0b1a2e"}, emphasis: {label: {show: true}, itemStyle: {areaColor: "#f79009"}},
                data: figures}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
