import { describe, expect, it } from 'vitest';
import { importCsv, importJson, parseDateCell } from '#shared/knowledge/import.ts';
import { parseCsv } from '#shared/util/csv.ts';

const HEADER = 'id,title,questions,answer,basis_title,basis_number,department,contact,category,tags,area,valid_from,valid_until,source,updated,version,withdrawn';
const good = (id: string) =>
  `${id},公租房申请条件,"公租房怎么申请|申请公租房要什么条件",您好，申请公租房需具备本市户籍且家庭人均收入低于标准。,〔示例〕公共租赁住房管理办法,〔示例〕示政〔2024〕1号,市住房保障中心,0379-12345,住房,公租房|保障房,city,2024-01-01,,市住房保障中心答复,2024-03-01,2,否`;

describe('knowledge import', () => {
  it('reads good rows and names the row and column of a bad one', () => {
    const bad = good('k-2').replace('2024-03-01', '2024-13-01');
    const result = importCsv([HEADER, good('k-1'), bad, good('k-3')].join('\r\n'));
    expect(result.entries.map((e) => e.id)).toEqual(['k-1', 'k-3']);
    expect(result.errors).toEqual([{ row: 3, column: 'updated', code: 'not_date', params: { value: '2024-13-01' }, message: '"2024-13-01" is not a date (YYYY-MM-DD)' }]);
    const first = result.entries[0];
    expect(first?.questions).toEqual(['公租房怎么申请', '申请公租房要什么条件']);
    expect(first?.basis).toEqual([{ title: '〔示例〕公共租赁住房管理办法', number: '〔示例〕示政〔2024〕1号' }]);
    expect(first?.validFrom).toBe(Date.UTC(2023, 11, 31, 16));
    expect(first?.version).toBe(2);
    expect(first?.withdrawn).toBe(false);
  });

  it('maps schema errors to columns and reports repeated ids', () => {
    const shortAnswer = good('k-2').replace('您好，申请公租房需具备本市户籍且家庭人均收入低于标准。', '好的');
    const result = importCsv([HEADER, good('k-1'), shortAnswer, good('k-1')].join('\n'));
    expect(result.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'answer'],
      [4, 'id'],
    ]);
  });

  it('refuses unknown and missing columns in the header', () => {
    const result = importCsv('id,title,colour\nk-1,x,red');
    expect(result.entries).toEqual([]);
    expect(result.errors).toContainEqual({ row: 1, column: 'colour', code: 'unknown_column', message: 'unknown column' });
    expect(result.errors).toContainEqual({ row: 1, column: 'answer', code: 'missing_column', message: 'missing column' });
  });

  it('reads JSON flat rows and whole entries, naming the element', () => {
    const [, ...cells] = parseCsv(`${HEADER}\n${good('k-1')}`);
    const names = HEADER.split(',');
    const flat = Object.fromEntries(names.map((n, i) => [n, cells[0]?.[i] ?? '']));
    const whole = importCsv(`${HEADER}\n${good('k-2')}`).entries[0];
    const listy = { ...flat, id: 'k-4', questions: ['公租房在哪申请', '公租房窗口'], tags: ['公租房'] };
    const result = importJson(JSON.stringify([flat, whole, { ...flat, id: 'k-3', area: '市 区' }, listy]));
    expect(result.entries.map((e) => e.id)).toEqual(['k-1', 'k-2', 'k-4']);
    expect(result.entries[2]?.questions).toEqual(['公租房在哪申请', '公租房窗口']);
    expect(result.errors).toEqual([{ row: 3, column: 'area', code: 'bad_id', message: 'letters, digits, "_" or "-", at most 64' }]);
    expect(importJson('{').errors[0]?.message).toMatch(/not JSON/);
  });

  it('parses quoted CSV cells and dates', () => {
    expect(importCsv(`\uFEFF${HEADER}\n${good('k-1')}`).entries).toHaveLength(1);
    expect(parseCsv('a,"b ""c""\nd",e\r\n1,2,3')).toEqual([
      ['a', 'b "c"\nd', 'e'],
      ['1', '2', '3'],
    ]);
    expect(parseDateCell('2024-02-30')).toBeUndefined();
    expect(parseDateCell('1700000000000')).toBe(1700000000000);
  });
});
