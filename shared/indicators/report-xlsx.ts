/**
 * The 月通报 as .xlsx: each ReportTable (report.ts) on its own sheet, with its
 * Chinese header row bold and frozen, its columns as wide as their widest
 * value, and numbers as numbers (percent, decimal, int) and times as dates in
 * China Standard Time. One builder for the PWA (loaded lazily with the export
 * button) and the server's /api/reports/monthly.xlsx.
 */
import ExcelJS from 'exceljs';
import { cellFormat, type Cell, type CellFormat, type ReportTable } from './report.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const NUM_FMT: Readonly<Record<CellFormat, string | null>> = {
  text: null,
  int: '0',
  percent: '0.00%',
  decimal: '0.00',
  datetime: 'yyyy-mm-dd hh:mm',
};

const CST_MS = 8 * 3_600_000;

/** A cell's value as exceljs writes it: times as the CST wall clock (Excel dates have no zone). */
function xlsxValue(cell: Cell, format: CellFormat): string | number | Date | null {
  if (cell === null || typeof cell === 'string') return cell;
  return format === 'datetime' ? new Date(cell + CST_MS) : cell;
}

/** The time an .xlsx date cell written by `reportToXlsx` stands for. */
export function xlsxTime(value: Date): number {
  return value.getTime() - CST_MS;
}

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules). */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
}

export async function reportToXlsx(tables: readonly ReportTable[], created: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '连心';
  workbook.created = new Date(created);
  workbook.modified = new Date(created);
  for (const t of tables) {
    const sheet = workbook.addWorksheet(sheetName(t.name), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    sheet.columns = t.columns.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    t.rows.forEach((row, j) => {
      const xlsxRow = sheet.addRow(t.columns.map((_, i) => xlsxValue(row[i] ?? null, cellFormat(t, j, i))));
      t.columns.forEach((_, i) => {
        const fmt = NUM_FMT[cellFormat(t, j, i)];
        if (fmt) xlsxRow.getCell(i + 1).numFmt = fmt;
      });
    });
  }
  const out = (await workbook.xlsx.writeBuffer()) as unknown as ArrayBuffer | Uint8Array;
  return out instanceof Uint8Array ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : new Uint8Array(out);
}
