/** The 月通报 .xlsx read back with exceljs: every cell is the table's, with its format, the header frozen. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createDemo } from '#demo/index.ts';
import { periodOf } from '#shared/indicators/period.ts';
import { cellFormat, monthlyReport, type ReportTable } from '#shared/indicators/report.ts';
import { reportToXlsx, xlsxTime } from '#shared/indicators/report-xlsx.ts';
import type { IndicatorRow } from '#shared/indicators/row.ts';
import { deriveOrder } from '#shared/order/reducer.ts';
import { summarizeOrder } from '#shared/order/summary.ts';

const NOW = Date.UTC(2026, 5, 1, 2);
const NUM_FMT = { int: '0', percent: '0.00%', decimal: '0.00', datetime: 'yyyy-mm-dd hh:mm' } as const;

function rows(): IndicatorRow[] {
  const demo = createDemo({ now: NOW, seed: 16, org: { districts: 1, streetsPerDistrict: 1, communitiesPerStreet: 3, gridsPerCommunity: 2 }, count: 400, openCount: 40, periodDays: 60 });
  const out: IndicatorRow[] = [];
  for (const order of demo.orders()) out.push(summarizeOrder(order.intake, deriveOrder(order.intake, order.events, NOW)));
  return out;
}

async function readBack(tables: readonly ReportTable[]): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as an ArrayBuffer.
  await workbook.xlsx.load((await reportToXlsx(tables, NOW)).slice().buffer);
  return workbook;
}

describe('reportToXlsx', () => {
  it('writes each table of the 月通报 on its sheet, cell for cell, with number formats, widths and a frozen header', async () => {
    const all = rows();
    const street = all[0]!.streetId;
    // A title that looks like a formula stays text.
    const data = all.map((r, i) => (i === 0 ? { ...r, title: '=HYPERLINK("x")' } : r));
    const tables = monthlyReport(data, { level: 'street', id: street }, periodOf('month', NOW - 86_400_000), NOW, { unitName: (id) => `单位${id}` });
    expect(tables.find((t) => t.name === '超期清单')!.rows.length).toBeGreaterThan(0);
    const workbook = await readBack(tables);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(tables.map((t) => t.name));
    for (const t of tables) {
      const sheet = workbook.getWorksheet(t.name)!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.rowCount).toBe(t.rows.length + 1);
      t.columns.forEach((c, i) => {
        expect(sheet.getRow(1).getCell(i + 1).value).toBe(c.header);
        // exceljs leaves out a width of 9, its default (Excel then shows 8.43: within the 2 characters of padding).
        expect(sheet.getColumn(i + 1).width ?? 9, `${t.name} width ${i + 1}`).toBe(c.width);
      });
      t.rows.forEach((row, j) => {
        row.forEach((cell, i) => {
          const got = sheet.getRow(j + 2).getCell(i + 1);
          const format = cellFormat(t, j, i);
          const where = `${t.name} R${j + 2}C${i + 1}`;
          if (cell === null) expect(got.value ?? null, where).toBeNull();
          else if (format === 'datetime') expect(xlsxTime(got.value as Date), where).toBe(cell);
          else expect(got.value, where).toBe(cell);
          if (cell !== null && format !== 'text') expect(got.numFmt, where).toBe(NUM_FMT[format]);
        });
      });
    }
    const summary = workbook.getWorksheet('汇总')!;
    const row = (name: string) => summary.getRow(summary.getColumn(1).values.indexOf(name));
    expect(row('按期办结率').getCell(2).numFmt).toBe('0.00%');
    expect(row('受理量').getCell(2).numFmt).toBe('0');
    expect(row('平均办理时长（自然日）').getCell(2).numFmt).toBe('0.00');
  });

  it('writes an empty month as headers only', async () => {
    const workbook = await readBack(monthlyReport([], { level: 'street', id: 's' }, periodOf('month', NOW), NOW, { unitName: (id) => id }));
    expect(workbook.getWorksheet('超期清单')!.rowCount).toBe(1);
    expect(workbook.getWorksheet('汇总')!.getRow(2).getCell(1).value).toBe('受理量');
  });
});
