/** .xlsx import: a sheet written with exceljs, read back through importXlsx; errors name the sheet's row, the column and the cell. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS } from '#shared/knowledge/import.ts';
import { columnLetter, importXlsx } from '#server/knowledge/import-xlsx.ts';

type Value = ExcelJS.CellValue;

const good = (id: string): Record<string, Value> => ({
  id,
  title: { richText: [{ text: '公租房' }, { text: '申请条件', font: { bold: true } }] },
  questions: '公租房怎么申请\n申请公租房要什么条件',
  answer: '您好，申请公租房需具备本市户籍且家庭人均收入低于标准。',
  basis_title: '〔示例〕公共租赁住房管理办法',
  basis_number: '〔示例〕示政〔2024〕1号',
  department: '市住房保障中心',
  contact: { text: '0379-12345', hyperlink: 'tel:037912345' },
  category: '住房',
  tags: '公租房|保障房',
  area: 'city',
  // Excel dates: exceljs writes and reads the wall clock as UTC.
  valid_from: new Date(Date.UTC(2024, 0, 1)),
  valid_until: null,
  source: '市住房保障中心答复',
  updated: new Date(Date.UTC(2024, 2, 1, 9, 30)),
  version: { formula: '1+1', result: 2 },
  withdrawn: '否',
});

async function xlsx(rows: ReadonlyArray<Record<string, Value> | null>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('知识库');
  sheet.addRow([...IMPORT_COLUMNS]);
  for (const row of rows) sheet.addRow(row ? IMPORT_COLUMNS.map((c) => row[c] ?? null) : []);
  workbook.addWorksheet('说明').addRow(['not read']);
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('importXlsx', () => {
  it('reads good rows of the first sheet and names the row, column and cell of bad ones', async () => {
    const shortAnswer = { ...good('k-2'), answer: '好的' };
    const badDate = { ...good('k-4'), valid_until: '2024-13-01' };
    const broken = { ...good('k-5'), tags: { error: '#N/A' } as Value };
    const result = await importXlsx(await xlsx([good('k-1'), shortAnswer, null, good('k-3'), badDate, broken]));

    expect(result.entries.map((e) => e.id)).toEqual(['k-1', 'k-3']);
    expect(result.errors).toEqual([
      { row: 3, column: 'answer', cell: 'D3', code: 'too_short', params: { min: 10 }, message: expect.any(String) as string },
      { row: 6, column: 'valid_until', cell: 'M6', code: 'not_date', params: { value: '2024-13-01' }, message: '"2024-13-01" is not a date (YYYY-MM-DD)' },
      { row: 7, column: 'tags', cell: 'J7', code: 'cell_excel_error', params: { value: '#N/A' }, message: 'J7 holds the Excel error #N/A' },
    ]);
    const first = result.entries[0];
    expect(first?.title).toBe('公租房申请条件');
    expect(first?.questions).toEqual(['公租房怎么申请', '申请公租房要什么条件']);
    expect(first?.tags).toEqual(['公租房', '保障房']);
    expect(first?.department).toEqual({ name: '市住房保障中心', contact: '0379-12345' });
    // 2024-01-01 in China is 2023-12-31 16:00 UTC; 09:30 on 2024-03-01 in China is 01:30 UTC.
    expect(first?.validFrom).toBe(Date.UTC(2023, 11, 31, 16));
    expect(first?.validUntil).toBeNull();
    expect(first?.updated).toBe(Date.UTC(2024, 2, 1, 1, 30));
    expect(first?.version).toBe(2);
    expect(first?.withdrawn).toBe(false);
  });

  it('refuses a sheet whose header is wrong, and a file that is not .xlsx', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('x').addRow(['id', 'title', 'colour']);
    const result = await importXlsx(new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer));
    expect(result.entries).toEqual([]);
    expect(result.errors).toContainEqual({ row: 1, column: 'colour', cell: 'C1', code: 'unknown_column', message: 'unknown column' });
    expect(result.errors).toContainEqual({ row: 1, column: 'answer', code: 'missing_column', message: 'missing column' });
    expect((await importXlsx(new TextEncoder().encode('id,title\n1,2'))).errors[0]?.message).toMatch(/not an \.xlsx file/);
  });

  it('names columns as Excel does', () => {
    expect([1, 4, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'D', 'Z', 'AA', 'AZ', 'AAA']);
  });
});
