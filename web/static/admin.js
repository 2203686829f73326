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
    chart.setOption(option);
    charts.push(chart);
  }

  function resizeAll() {
    for (var i = 0; i < charts.length; i++) {
      charts[i].resize();
    }
  }

  function start() {
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
