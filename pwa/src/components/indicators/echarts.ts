/**
 * The parts of ECharts the indicators page draws with, registered once:
 * imported only by IndicatorBarChart and IndicatorTrendChart, so that echarts
 * stays in the 数据分析 page's lazy chunk and out of the first paint
 * (tests/e2e/pwa/lazy-pages.e2e.ts). Canvas renderer; no other chart types.
 */
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type IndicatorChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** The chart colours of Vant's theme (canvas cannot read CSS variables). */
export const CHART_COLORS = { primary: '#1989fa', success: '#07c160', text: '#646566', axis: '#c8c9cc' } as const;
