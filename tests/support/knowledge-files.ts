/**
 * Knowledge import files as an admin would make them, for server and e2e
 * tests: an entry as a CSV row (the columns of shared/knowledge/import.ts),
 * and rows joined into a CSV file with quoting where a cell needs it.
 */
import { IMPORT_COLUMNS, type ImportColumn } from '#shared/knowledge/import.ts';
import type { KnowledgeEntry } from '#shared/knowledge/entry.ts';

export type KnowledgeRow = Partial<Record<ImportColumn, string>>;

/** An entry as a flat row (dates as ms, lists joined by "|"). */
export function entryRow(entry: KnowledgeEntry): KnowledgeRow {
  return {
    id: entry.id,
    title: entry.title,
    questions: entry.questions.join('|'),
    answer: entry.answer,
    basis_title: entry.basis.map((b) => b.title).join('|'),
    basis_number: entry.basis.map((b) => b.number).join('|'),
    department: entry.department.name,
    contact: entry.department.contact,
    category: entry.category,
    tags: entry.tags.join('|'),
    area: entry.area,
    valid_from: entry.validFrom === null ? '' : String(entry.validFrom),
    valid_until: entry.validUntil === null ? '' : String(entry.validUntil),
    source: entry.source,
    updated: String(entry.updated),
    version: String(entry.version),
    withdrawn: entry.withdrawn ? '是' : '否',
  };
}

const cell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A CSV file: the header, then one line per row. */
export function knowledgeCsv(rows: readonly KnowledgeRow[]): string {
  const lines = [IMPORT_COLUMNS.join(','), ...rows.map((row) => IMPORT_COLUMNS.map((c) => cell(row[c] ?? '')).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** A plausible entry for tests, overridable field by field. */
export function testEntry(id: string, overrides: Partial<KnowledgeEntry> = {}): KnowledgeEntry {
  return {
    id,
    title: '加装电梯的申请条件',
    questions: ['老旧小区怎么加装电梯', '加装电梯需要多少业主同意'],
    answer: '您好！既有住宅加装电梯，应经本单元房屋专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决，并经参与表决的业主四分之三以上同意。',
    basis: [{ title: '〔示例〕既有住宅加装电梯实施办法', number: '〔示例〕示住〔2023〕12号' }],
    department: { name: '示范市住房和城乡建设局', contact: '咨询请拨打12345' },
    category: '住房',
    tags: ['加装电梯'],
    area: 'city',
    validFrom: null,
    validUntil: null,
    source: '测试',
    updated: 1_700_000_000_000,
    version: 1,
    withdrawn: false,
    ...overrides,
  };
}
