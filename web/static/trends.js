// Draws the trend charts of the trends pages with echarts, on screen. Each trend chart is drawn
// on the server as SVG (which paper keeps) and followed by
//   <div class="chart-live" id="X-live" hidden></div>
//   <script type="application/json" id="X-live-option">…</script>
// with the same chart as an echarts option, built with go-echarts. This swaps the SVG for it,
// so that a pointer or a finger shows each year's values. Without echarts (a build without
// scripts, an error) the SVG stays.
(function () {
  "use strict";

  var charts = [];

  function draw(el) {
    var data = document.getElementById(el.id + "-option");
    if (!data) {
      return;
    }
    var option;
    try {
      option = JSON.parse(data.textContent);
    } catch (e) {
      console.error("chart " + el.id + ": its option is broken");
      return;
    }
    el.hidden = false;
    var figure = el.closest("figure");
    if (figure) {
      figure.classList.add("live");
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    // data-drawn tells tests (and anyone curious) that the chart has finished drawing.
    chart.on("finished", function () {
      el.setAttribute("data-drawn", "1");
    });
    chart.setOption(option);
    checkBuild(el.id, chart, option);
    charts.push(chart);
  }

  // checkBuild says in the console when the echarts build (web/assets/echarts.js) lacks a
  // chart type or component an option uses: echarts then silently draws nothing of it.
  function checkBuild(id, chart, option) {
    var model = chart.getModel && chart.getModel();
    if (!model) {
      return;
    }
    var drawn = {};
    model.eachSeries(function (s) {
      drawn[s.subType] = true;
    });
    var missing = [];
    var wanted = {};
    (option.series || []).forEach(function (s) {
      if (!drawn[s.type]) {
        missing.push("series " + s.type);
      }
      if (s.markLine) {
        wanted.markLine = true;
      }
    });
    ["tooltip", "grid", "xAxis", "yAxis"].forEach(function (k) {
      if (option[k]) {
        wanted[k] = true;
      }
    });
    Object.keys(wanted).forEach(function (k) {
      if (!model.getComponent(k)) {
        missing.push("component " + k);
      }
    });
    if (missing.length) {
      console.error("chart " + id + ": the echarts build lacks " + missing.join(", "));
    }
  }

  function start() {
    if (!window.echarts) {
      return;
    }
    var els = document.querySelectorAll("div.chart-live[id]");
    for (var i = 0; i < els.length; i++) {
      draw(els[i]);
    }
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        for (var j = 0; j < charts.length; j++) {
          charts[j].resize();
        }
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
