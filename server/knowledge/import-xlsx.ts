/**
 * Knowledge entries from an .xlsx upload: the first sheet, row 1 the header
 * (the CSV's columns), read with exceljs into the same table of strings that
 * `importRows` takes, so the checks and messages are the CSV's. Row numbers
 * are the sheet's own (blank rows keep their numbers) and every error with a
 * column also names the cell as Excel shows it (`D3`).
 *
 * Cells become the text the CSV path accepts: dates as YYYY-MM-DD (a date
 * with a time of day as ms; Excel dates have no zone, so the wall clock is
 * read as China time), rich text and hyperlinks as their text, formulas as
 * their cached result, numbers and booleans as written. A cell holding an
 * Excel error (#N/A, #REF!) is an error on its row.
 */
import ExcelJS from 'exceljs';
import { importRows, type ImportError, type ImportErrorCode, type ImportResult } from '#shared/knowledge/import.ts';

const CST_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Excel's column letters for a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(column: number): string {
  let out = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

type CellText = { readonly text: string } | { readonly error: string; readonly code: ImportErrorCode; readonly value?: string };

/** One cell's value as the text a CSV cell would hold. */
function cellText(value: ExcelJS.CellValue): CellText {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: String(value) };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false' };
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) return { error: 'is not a valid date', code: 'cell_bad_date' };
    // exceljs gives the wall clock as UTC: a whole day is a date, anything else a moment in China time.
    if (ms % DAY_MS === 0) return { text: `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}` };
    return { text: String(ms - CST_MS) };
  }
  if ('error' in value) return { error: `holds the Excel error ${String(value.error)}`, code: 'cell_excel_error', value: String(value.error) };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('') };
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    return typeof text === 'string' ? { text } : cellText(text as ExcelJS.CellValue);
  }
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  return { error: 'has a value that is not text', code: 'cell_not_text' };
}

/**
 * The first sheet of an .xlsx file as entries and errors. Errors are those of
 * `importRows` (rows numbered as in the sheet) plus `cell` (e.g. `D3`) where
 * the error is about one column; nothing throws.
 */
export async function importXlsx(data: Uint8Array): Promise<ImportResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer.
    await workbook.xlsx.load(data.slice().buffer);
  } catch (e) {
    return { entries: [], errors: [{ row: 0, column: '', code: 'not_xlsx', message: `not an .xlsx file: ${(e as Error).message}` }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { entries: [], errors: [{ row: 1, column: '', code: 'file_empty', message: 'the file is empty' }] };

  const table: string[][] = [];
  const cellErrors: ImportError[] = [];
  const header: string[] = [];
  const last = sheet.rowCount;
  for (let r = 1; r <= last; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    const rowErrors: ImportError[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const t = cellText(row.getCell(c).value);
      const cell = `${columnLetter(c)}${r}`;
      if ('error' in t) rowErrors.push({ row: r, column: header[c - 1] ?? '', cell, code: t.code, ...(t.value === undefined ? {} : { params: { value: t.value } }), message: `${cell} ${t.error}` });
      cells.push('text' in t ? t.text : '');
    }
    if (r === 1) header.push(...cells.map((h) => h.trim()));
    // A row with a broken cell is reported as it is and kept out of the import.
    cellErrors.push(...rowErrors);
    table.push(rowErrors.length > 0 ? [] : cells);
  }
  if (table.length === 0) return { entries: [], errors: [{ row: 1, column: '', code: 'file_empty', message: 'the file is empty' }] };
  if (cellErrors.some((e) => e.row === 1)) return { entries: [], errors: cellErrors };

  const result = importRows(table);
  const columnIndex = new Map(header.map((h, i) => [h.toLowerCase(), i] as const));
  const located = result.errors.map((e): ImportError => {
    const at = columnIndex.get(e.column.toLowerCase());
    return at === undefined || e.row < 1 ? e : { ...e, cell: `${columnLetter(at + 1)}${e.row}` };
  });
  return { entries: result.entries, errors: [...located, ...cellErrors].sort((a, b) => a.row - b.row) };
}
