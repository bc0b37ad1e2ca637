// kfq: draws each chart figure with ECharts in place of its server-drawn SVG,
// which stays for print and screen readers. The option comes with the page
// (data-echarts); only what JSON cannot carry is added here: formatters that
// print each value as the tables do (its "text"), and links on bars.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var esc = function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  document.querySelectorAll("figure.chart[data-echarts]").forEach(function (figure) {
    var option;
    try { option = JSON.parse(figure.getAttribute("data-echarts")); } catch (e) { return; }
    var meta = option.kfq || {};
    delete option.kfq;
    if (meta.empty) { return; }
    var unit = meta.unit || "";
    var live = figure.querySelector(".chart-live");
    live.style.height = (meta.height || 320) + "px";
    var axis = meta.kind === "bar" ? option.xAxis : option.yAxis;
    axis.axisLabel = axis.axisLabel || {};
    axis.axisLabel.formatter = function (value) { return value + unit; };
    if (meta.kind === "bar") {
      option.series[0].label.formatter = function (p) { return p.data.text; };
      option.tooltip.formatter = function (p) {
        var status = p.data.status ? "（" + esc(p.data.status) + "）" : "";
        return esc(p.name) + "<br>" + p.marker + esc(p.data.text) + status;
      };
    } else {
      option.tooltip.formatter = function (points) {
        var lines = [esc(points[0].axisValueLabel)];
        points.forEach(function (p) {
          lines.push(p.marker + esc(p.seriesName) + "：" + (p.data ? esc(p.data.text) : "—"));
        });
        return lines.join("<br>");
      };
    }
    var chart = window.echarts.init(live, null, { renderer: "canvas" });
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.data && p.data.href) { window.location.href = p.data.href; }
    });
    figure.classList.add("live");
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () { chart.resize(); }).observe(live);
    }
  });
})();
