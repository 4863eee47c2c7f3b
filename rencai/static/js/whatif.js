// 预算测算: the chart of this year's money before and after, from the JSON the page embeds (#whatif-data).
// A static file, not an inline script: the Content-Security-Policy allows scripts from this site only.
(function () {
  var source = document.getElementById("whatif-data");
  var box = document.getElementById("whatif-chart");
  if (!source || !box || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    animation: false,
    title: {text: "当年资金：调整前后（元）", textStyle: {fontSize: 14}},
    tooltip: {}, legend: {data: ["调整前", "调整后"], right: 10},
    xAxis: {type: "category", data: data.titles}, yAxis: {type: "value"},
    series: [{name: "调整前", type: "bar", data: data.before}, {name: "调整后", type: "bar", data: data.after}]
  });
})();
