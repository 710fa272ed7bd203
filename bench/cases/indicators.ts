/**
 * Case 9 — indicators (数据分析), in Node on the shared code the page runs
 * (shared/indicators), over order summaries built from the demo generator
 * (summarizeOrder ∘ deriveOrder, as the indexer writes them):
 * - a street of 10,500 orders (500 open) over half a year: what the page
 *   computes for one month — every indicator for the month and the month
 *   before, the ranking of its communities, shares by type, the daily trend
 *   and the hot spots — warm (after two untimed passes; median of 5 per run),
 *   and cold (the first pass in this process, before the JIT has seen it);
 * - a district of 20 such streets (the street's rows copied under 20 street
 *   ids: 210,000 orders), ranked by street, warm;
 * - the 月通报 of a month of about 2,000 orders, as tables and CSV (the .xlsx
 *   writer is not in yet).
 * Baseline for each: a plain pass over the same rows in the same run — one
 * loop that counts the month's received and closed orders and sums handling
 * times, the least any indicator page must do.
 * Cold and warm in the browser also include reading the rows from IndexedDB,
 * which case 8 (the desk) and case 1 (cold start) measure.
 */
import { createDemo } from '#demo/index.ts';
import { computeIndicators } from '#shared/indicators/indicators.ts';
import { hotSpotsOf } from '#shared/indicators/hotspots.ts';
import { periodOf, previousPeriod, type Period } from '#shared/indicators/period.ts';
import { rankUnits } from '#shared/indicators/ranking.ts';
import { monthlyReport, reportToCsv } from '#shared/indicators/report.ts';
import { reportToXlsx } from '#shared/indicators/report-xlsx.ts';
import type { IndicatorRow } from '#shared/indicators/row.ts';
import { sharesBy } from '#shared/indicators/shares.ts';
import { trendOf } from '#shared/indicators/trend.ts';
import type { PlaceLevel } from '#shared/indicators/unit.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder } from '#shared/order/summary.ts';
import { FigureSamples, type BenchCase } from '../lib/case.ts';

/** Monday 1 June 2026, 10:00 CST: the present of the generated half-year. */
const NOW = Date.UTC(2026, 5, 1, 2);

function pageFigures(rows: readonly IndicatorRow[], period: Period, below: PlaceLevel): number {
  const current = computeIndicators(rows, period, NOW);
  const before = computeIndicators(rows, previousPeriod(period, 'month'), NOW);
  const ranking = rankUnits(rows, below, period, NOW, { volumeSplit: 300 });
  const shares = sharesBy(rows, period, 'type');
  const trend = trendOf(rows, period, 'day');
  const hot = hotSpotsOf(rows, period);
  return current.received.value + before.closed.value + ranking.tables.length + shares.length + trend.length + hot.addresses.length;
}

/** The floor: one loop over the rows. */
function plainPass(rows: readonly IndicatorRow[], period: Period): number {
  let received = 0;
  let closed = 0;
  let days = 0;
  for (const r of rows) {
    if (r.receivedAt >= period.from && r.receivedAt < period.to) received += 1;
    if (r.closedAt !== null && r.closedAt >= period.from && r.closedAt < period.to) {
      closed += 1;
      days += r.closedAt - r.receivedAt;
    }
  }
  return received + closed + days;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function warm(fn: () => unknown, times = 5): number {
  fn();
  fn();
  return median(Array.from({ length: times }, () => time(fn)));
}

async function warmAsync(fn: () => Promise<unknown>, times = 3): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** `count` rows received in `month`: the month's own, repeated under new ids if there are fewer. */
function monthOf(rows: readonly IndicatorRow[], month: Period, count: number): IndicatorRow[] {
  const mine = rows.filter((r) => r.receivedAt >= month.from && r.receivedAt < month.to);
  return Array.from({ length: count }, (_, i) => {
    const row = mine[i % mine.length]!;
    return i < mine.length ? row : { ...row, id: `${row.id}-r${i}`, orderNo: `${row.orderNo}-${i}` };
  });
}

export const indicators: BenchCase = {
  id: 'indicators',
  title: '9 indicators',
  async run(context) {
    const count = context.quick ? 1_050 : 10_500;
    const open = context.quick ? 50 : 500;
    const streets = context.quick ? 4 : 20;
    context.log(`generating ${count} orders (${open} open)`);
    const demo = createDemo({ now: NOW, seed: 9, org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 6, gridsPerCommunity: 5 }, count, openCount: open, periodDays: 182 });
    const street: IndicatorRow[] = [];
    for (const order of demo.orders()) street.push(summarizeOrder(order.intake, deriveOrder(order.intake, order.events, NOW)));
    const streetId = street[0]!.streetId;
    const month = periodOf('month', NOW - 86_400_000); // May 2026, complete
    const monthRows = street.filter((r) => r.receivedAt >= month.from && r.receivedAt < month.to).length;
    const unitName = (id: string): string => id;

    const cold = new FigureSamples('street page, cold', 'ms', 'lower', { baselineLabel: 'plain pass over the same rows, cold', note: 'first pass in the process' });
    const streetWarm = new FigureSamples('street page, warm', 'ms', 'lower', { baselineLabel: 'plain pass over the same rows' });
    const districtWarm = new FigureSamples('district page (20 streets), warm', 'ms', 'lower', { baselineLabel: 'plain pass over the same rows' });
    const report = new FigureSamples('月通报 (tables + CSV), warm', 'ms', 'lower', { baselineLabel: 'plain pass over the same rows' });
    const xlsx = new FigureSamples('月通报 .xlsx, 2,000 orders in the month, warm', 'ms', 'lower', { baselineLabel: 'tables + CSV of the same rows', note: 'exceljs in Node, median of 3' });
    const xlsxRows = monthOf(street, month, 2_000);
    const xlsxReport = () => monthlyReport(xlsxRows, { level: 'street', id: streetId }, month, NOW, { unitName });
    const xlsxBytes = (await reportToXlsx(xlsxReport(), NOW)).length;
    cold.add(
      time(() => pageFigures(street, month, 'community')),
      time(() => plainPass(street, month)),
    );
    for (let run = 0; run < context.runs; run += 1) {
      streetWarm.add(
        warm(() => pageFigures(street, month, 'community')),
        warm(() => plainPass(street, month)),
      );
      report.add(
        warm(() => reportToCsv(monthlyReport(street, { level: 'street', id: streetId }, month, NOW, { unitName }))),
        warm(() => plainPass(street, month)),
      );
      xlsx.add(await warmAsync(() => reportToXlsx(xlsxReport(), NOW)), warm(() => reportToCsv(xlsxReport()), 3));
    }
    // The district after the street: a device holds one or the other, and 210,000 live rows slow every collection.
    const district: IndicatorRow[] = [];
    for (let s = 0; s < streets; s += 1) {
      const id = `${streetId}-x${s}`;
      for (const row of street) district.push({ ...row, id: `${row.id}-${s}`, streetId: id, communityId: row.communityId && `${row.communityId}-x${s}`, gridId: row.gridId && `${row.gridId}-x${s}` });
    }
    for (let run = 0; run < context.runs; run += 1) {
      districtWarm.add(
        warm(() => pageFigures(district, month, 'street'), 3),
        warm(() => plainPass(district, month), 3),
      );
    }
    return {
      setup: `street: ${count} orders over 182 days (${open} open), ${monthRows} received in the month measured (May 2026); district: ${streets} streets, ${district.length} orders; .xlsx: ${xlsxBytes} bytes`,
      figures: [cold.figure(), streetWarm.figure(), districtWarm.figure(), report.figure(), xlsx.figure()],
    };
  },
};
