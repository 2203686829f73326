// Draws the charts of the admin pages. Each chart is a container
//   <div class="chart" id="X" data-height="N">
// with its echarts options, built on the server with go-echarts, in a data block
//   <script type="application/json" id="X-option">
// which the browser does not execute, so the Content-Security-Policy can forbid inline
// scripts. echarts itself is served from /static/vendor/. Charts follow the width of the
// page (window resize, phone rotation) and are redrawn at paper width when printing.
(function () {
  "use strict";

  var charts = [];

  // fit adapts a chart's axis labels to the width of its container: narrower label columns
  // on a phone, and for a heatmap, column titles that wrap when there is room and turn
  // upright when there is not.
  function fit(item) {
    var w = item.el.clientWidth;
    var narrow = w < 640;
    var opt = item.option;
    var labelW = narrow ? 96 : 170;
    var patch = {};
    if (Array.isArray(opt.yAxis)) {
      patch.yAxis = opt.yAxis.map(function (y) {
        return y.type === "category" && y.axisLabel && y.axisLabel.width ? { axisLabel: { width: labelW } } : {};
      });
    }
    var col = 0; // the width of a heatmap column
    if (Array.isArray(opt.xAxis)) {
      patch.xAxis = opt.xAxis.map(function (x) {
        if (x.type !== "category" || x.position !== "top" || !Array.isArray(x.data)) {
          return {};
        }
        col = (w - labelW - 24) / x.data.length;
        // Short titles (survey.Category.ShortTitle) stand upright, wrapped, down to 40 px a column.
        if (col >= 40) {
          return { axisLabel: { rotate: 0, width: col - 6, overflow: "break", fontSize: col < 56 ? 11 : 12, lineHeight: 14 } };
        }
        return { axisLabel: { rotate: 90, width: 110, overflow: "truncate", fontSize: col < 22 ? 10 : 12 } };
      });
    }
    if (Array.isArray(opt.visualMap)) {
      patch.visualMap = opt.visualMap.map(function () {
        return narrow ? { itemWidth: 12, itemHeight: 10, itemGap: 4, textGap: 2, textStyle: { fontSize: 10 } }
          : { itemWidth: 20, itemHeight: 14, itemGap: 6, textGap: 5, textStyle: { fontSize: 12 } };
      });
    }
    if (opt.series && opt.series.length && opt.series[0].type === "heatmap") {
      // Numbers that cannot fit their cell are left out: the colours remain, a tap shows the
      // value, and the report table below has every number.
      patch.series = opt.series.map(function (s) {
        return { label: { show: col === 0 || col >= 34, fontSize: narrow ? 9 : (s.label && s.label.fontSize) || 12 } };
      });
    }
    item.chart.setOption(patch);
  }

  // checkBuild says in the console when the echarts build (web/assets/echarts.js) lacks a
  // chart type or component an option uses: echarts then silently draws nothing of it.
  function checkBuild(id, chart, option) {
    var model = chart.getModel && chart.getModel();
    if (!model) {
      return;
    }
    var series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
    var drawn = {};
    model.eachSeries(function (s) {
      drawn[s.subType] = true;
    });
    var missing = [];
    var wanted = {};
    series.forEach(function (s) {
      if (!drawn[s.type]) {
        missing.push("series " + s.type);
      }
      ["markLine", "markArea", "markPoint"].forEach(function (m) {
        if (s[m]) {
          wanted[m] = true;
        }
      });
    });
    ["title", "tooltip", "legend", "grid", "visualMap", "xAxis", "yAxis"].forEach(function (k) {
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

  function draw(el) {
    var data = document.getElementById(el.id + "-option");
    if (!data) {
      return;
    }
    var option;
    try {
      option = JSON.parse(data.textContent);
    } catch (e) {
      el.textContent = "chart data is broken";
      return;
    }
    var h = parseInt(el.getAttribute("data-height"), 10);
    if (h > 0) {
      el.style.height = h + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    // data-drawn tells tests (and anyone curious) that the chart has finished drawing.
    chart.on("finished", function () {
      el.setAttribute("data-drawn", "1");
    });
    chart.setOption(option);
    checkBuild(el.id, chart, option);
    var item = { el: el, chart: chart, option: option };
    fit(item);
    charts.push(item);
  }

  function resizeAll() {
    for (var i = 0; i < charts.length; i++) {
      fit(charts[i]);
      charts[i].chart.resize();
    }
  }

  // rolePickers shows a form's fieldsets marked data-role-only="ROLE" only while that role is
  // chosen in the form's role select (the users page: sections apply to managers only).
  function rolePickers() {
    var selects = document.querySelectorAll("form select[name=role]");
    for (var i = 0; i < selects.length; i++) {
      (function (sel) {
        var sets = sel.form.querySelectorAll("fieldset[data-role-only]");
        var sync = function () {
          for (var j = 0; j < sets.length; j++) {
            sets[j].hidden = sets[j].getAttribute("data-role-only") !== sel.value;
          }
        };
        sel.addEventListener("change", sync);
        sync();
      })(selects[i]);
    }
  }

  function start() {
    rolePickers();
    if (!window.echarts) {
      return; // a page without charts
    }
    var els = document.querySelectorAll("div.chart[id]");
    for (var i = 0; i < els.length; i++) {
      draw(els[i]);
    }
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) {
        clearTimeout(pending);
      }
      pending = setTimeout(resizeAll, 100);
    });
    window.addEventListener("beforeprint", resizeAll);
    window.addEventListener("afterprint", resizeAll);
    if (window.matchMedia) {
      var mq = window.matchMedia("print");
      if (mq.addEventListener) {
        mq.addEventListener("change", resizeAll);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
