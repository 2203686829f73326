// The echarts build the trends pages load (web/static/vendor/echarts.min.js, made by
// `make assets` with esbuild): echarts' core with only what web/admin/linechart.go's
// interactive trend charts use (lines, their grid, the tooltip and the cutoff's mark line).
// The report pages load no echarts: their charts are drawn on the server, which keeps their
// script under the 400 KB a report page may load (no echarts build is that small).
// A chart type or component used in an option but not registered here draws nothing and
// logs an error in the browser console, which the browser tests watch for: register it here
// and run `make assets-build`.
import { init, use } from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([LineChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

// trends.js needs only init; exporting the whole namespace would keep every export alive.
window.echarts = { init: init };
