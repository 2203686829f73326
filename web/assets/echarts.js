// The echarts build the admin pages load (web/static/vendor/echarts.min.js, made by
// `make assets` with esbuild): echarts' core with only the chart types and components that
// web/admin/chart.go's option objects use, so that a report page loads a fraction of the
// full library. A chart type or component used in an option but not registered here draws
// nothing and logs an error in the browser console, which the browser tests watch for:
// register it here and run `make assets-build`. The trends pages' line charts are drawn on the
// server (web/admin/linechart.go) and load none of this.
import { init, use } from "echarts/core";
import { BarChart, BoxplotChart, HeatmapChart, ScatterChart } from "echarts/charts";
import {
  GridComponent,
  LegendPlainComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapPiecewiseComponent,
} from "echarts/components";
import { LabelLayout } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

use([
  BarChart, BoxplotChart, HeatmapChart, ScatterChart,
  GridComponent, LegendPlainComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapPiecewiseComponent,
  LabelLayout,
  CanvasRenderer,
]);

// admin.js needs only init; exporting the whole namespace would keep every export alive.
window.echarts = { init: init };
