/**
 * Importing knowledge entries from .csv and .json (the admin's upload).
 * Every error names the row and the column, as the admin sees them in the
 * spreadsheet: row 2 is the first data row of a CSV (row 1 is the header),
 * row 1 the first element of a JSON array. Good rows are kept, bad rows are
 * reported; nothing throws. (.xlsx: server/knowledge/import-xlsx.ts reads
 * the first sheet with exceljs into the same rows of strings for `importRows`.)
 *
 * Columns (CSV header, or keys of a flat JSON object):
 *   id, title, questions, answer, basis_title, basis_number, department,
 *   contact, category, tags, area, valid_from, valid_until, source, updated,
 *   version, withdrawn
 * List cells (questions, tags, basis_title, basis_number) separate items by
 * a line break or "|"; basis_title and basis_number pair up in order.
 * Dates are YYYY-MM-DD (China time, UTC+8) or ms since 1970.
 * A JSON element may also be a whole entry in the model's own shape (told
 * apart by its `department` being an object); in a flat JSON row, list
 * columns may be arrays.
 */
import { KnowledgeEntrySchema, type KnowledgeEntry } from './entry.ts';
import * as v from 'valibot';
import { parseCsv } from '../util/csv.ts';

/**
 * What is wrong, stable across languages: the PWA shows it in the user's
 * language (i18n `knowledgeImport.error.<code>`, with `params`); `message`
 * stays the English text for logs, scripts and the server's API.
 */
export const IMPORT_ERROR_CODES = [
  'file_empty',
  'not_json',
  'not_array',
  'not_xlsx',
  'not_object',
  'unknown_column',
  'missing_column',
  'empty',
  'not_date',
  'basis_number_alone',
  'not_whole_number',
  'not_yes_no',
  'duplicate_id',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'bad_id',
  'bad_time',
  'until_before_from',
  'cell_bad_date',
  'cell_excel_error',
  'cell_not_text',
  'invalid',
] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export interface ImportError {
  /** Row as the admin numbers it: CSV counts the header as row 1, JSON counts elements from 1. */
  readonly row: number;
  /** Column name as in the file; empty when the error is about the whole row or file. */
  readonly column: string;
  /** The cell as a spreadsheet names it (`D3`), where the file is a spreadsheet (.xlsx) and the error is about one column. */
  readonly cell?: string;
  readonly code: ImportErrorCode;
  /** What the code's text names: the cell's value (`value`), a limit (`min`, `max`), the row an id first appeared in (`first`). */
  readonly params?: Readonly<Record<string, string | number>>;
  readonly message: string;
}

export interface ImportResult {
  readonly entries: KnowledgeEntry[];
  readonly errors: ImportError[];
}

export const IMPORT_COLUMNS = [
  'id', 'title', 'questions', 'answer', 'basis_title', 'basis_number', 'department', 'contact',
  'category', 'tags', 'area', 'valid_from', 'valid_until', 'source', 'updated', 'version', 'withdrawn',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly ImportColumn[] = ['id', 'title', 'questions', 'answer', 'department', 'category', 'area', 'updated'];

const CHINA_OFFSET_MS = 8 * 3600_000;

const splitList = (cell: string): string[] =>
  cell
    .split(/\r?\n|\|/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A cell's date: YYYY-MM-DD in China time, or ms; undefined when unreadable. */
export function parseDateCell(cell: string): number | undefined {
  const t = cell.trim();
  if (/^\d{9,}$/.test(t)) return Number(t);
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d) - CHINA_OFFSET_MS;
  const back = new Date(ms + CHINA_OFFSET_MS);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms;
}

type Row = Partial<Record<ImportColumn, string>>;

/** One flat row of strings into an entry, or the row's errors. */
function rowToEntry(row: Row, rowNumber: number): { entry?: KnowledgeEntry; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const err = (column: string, code: ImportErrorCode, message: string, params?: ImportError['params']) =>
    errors.push({ row: rowNumber, column, code, ...(params ? { params } : {}), message });
  const cell = (c: ImportColumn) => (row[c] ?? '').trim();
  for (const c of REQUIRED) if (cell(c) === '') err(c, 'empty', 'must not be empty');

  const date = (c: ImportColumn, required: boolean): number | null => {
    const raw = cell(c);
    if (raw === '') return required ? 0 : null;
    const ms = parseDateCell(raw);
    if (ms === undefined) {
      err(c, 'not_date', `"${raw}" is not a date (YYYY-MM-DD)`, { value: raw });
      return 0;
    }
    return ms;
  };
  const titles = splitList(cell('basis_title'));
  const numbers = splitList(cell('basis_number'));
  if (numbers.length > titles.length) err('basis_number', 'basis_number_alone', 'a document number without a basis_title');
  const versionRaw = cell('version');
  const version = versionRaw === '' ? 1 : Number(versionRaw);
  if (versionRaw !== '' && !Number.isInteger(version)) err('version', 'not_whole_number', `"${versionRaw}" is not a whole number`, { value: versionRaw });
  const withdrawnRaw = cell('withdrawn').toLowerCase();
  const withdrawn = ['1', 'true', 'yes', '是', 'y'].includes(withdrawnRaw);
  if (withdrawnRaw !== '' && !withdrawn && !['0', 'false', 'no', '否', 'n'].includes(withdrawnRaw))
    err('withdrawn', 'not_yes_no', `"${withdrawnRaw}" is not 是/否`, { value: withdrawnRaw });

  const candidate = {
    id: cell('id'),
    title: cell('title'),
    questions: splitList(cell('questions')),
    answer: cell('answer'),
    basis: titles.map((title, i) => ({ title, number: numbers[i] ?? '' })),
    department: { name: cell('department'), contact: cell('contact') },
    category: cell('category'),
    tags: splitList(cell('tags')),
    area: cell('area'),
    validFrom: date('valid_from', false),
    validUntil: date('valid_until', false),
    source: cell('source'),
    updated: date('updated', true) ?? 0,
    version,
    withdrawn,
  };
  if (errors.length > 0) return { errors };
  return checkEntry(candidate, rowNumber);
}

/** The model's schema over a candidate, its issues mapped to the file's columns. */
function checkEntry(candidate: unknown, rowNumber: number): { entry?: KnowledgeEntry; errors: ImportError[] } {
  const result = v.safeParse(KnowledgeEntrySchema, candidate);
  if (result.success) return { entry: result.output, errors: [] };
  return {
    errors: result.issues.map((issue) => ({ row: rowNumber, column: columnOf(v.getDotPath(issue) ?? ''), ...issueCode(issue), message: issue.message })),
  };
}

type EntryIssue = v.InferIssue<typeof KnowledgeEntrySchema>;

/** A schema issue's code and the limit it names (a text's length or a list's size). */
function issueCode(issue: EntryIssue): Pick<ImportError, 'code' | 'params'> {
  const list = Array.isArray(issue.input);
  const limit = typeof issue.requirement === 'number' ? issue.requirement : undefined;
  switch (issue.type) {
    case 'min_length':
      if (!list && limit === 1) return { code: 'empty' };
      return { code: list ? 'too_few' : 'too_short', ...(limit === undefined ? {} : { params: { min: limit } }) };
    case 'max_length':
      return { code: list ? 'too_many' : 'too_long', ...(limit === undefined ? {} : { params: { max: limit } }) };
    case 'regex':
      return { code: 'bad_id' };
    case 'integer':
      return { code: 'not_whole_number', params: { value: String(issue.input) } };
    case 'min_value':
    case 'max_value':
      return issue.path?.some((p) => p.key === 'version') ? { code: 'too_small', params: { min: String(issue.requirement) } } : { code: 'bad_time' };
    case 'check':
      return { code: 'until_before_from' };
    default:
      return { code: 'invalid' };
  }
}

const MODEL_TO_COLUMN: Record<string, ImportColumn> = {
  validFrom: 'valid_from',
  validUntil: 'valid_until',
  'department.name': 'department',
  'department.contact': 'contact',
};

/** A model path (questions.2, basis.0.title) as the file's column name. */
function columnOf(path: string): string {
  if (path === '') return '';
  const basis = /^basis\.\d+\.(title|number)$/.exec(path);
  if (basis) return `basis_${basis[1]}`;
  const mapped = MODEL_TO_COLUMN[path];
  if (mapped) return mapped;
  return path.split('.')[0] ?? path;
}

function collect(results: Array<{ entry?: KnowledgeEntry; errors: ImportError[]; rowNumber: number }>): ImportResult {
  const entries: KnowledgeEntry[] = [];
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  for (const r of results) {
    errors.push(...r.errors);
    if (!r.entry) continue;
    const first = seen.get(r.entry.id);
    if (first !== undefined) {
      errors.push({ row: r.rowNumber, column: 'id', code: 'duplicate_id', params: { value: r.entry.id, first }, message: `"${r.entry.id}" repeats the id of row ${first}` });
      continue;
    }
    seen.set(r.entry.id, r.rowNumber);
    entries.push(r.entry);
  }
  return { entries, errors };
}

/** Rows of strings with the header first (CSV, or a sheet read by exceljs). */
export function importRows(table: readonly (readonly string[])[]): ImportResult {
  const [header, ...body] = table;
  if (!header) return { entries: [], errors: [{ row: 1, column: '', code: 'file_empty', message: 'the file is empty' }] };
  const names = header.map((h) => h.trim().toLowerCase());
  const errors: ImportError[] = [];
  names.forEach((n, i) => {
    if (n !== '' && !(IMPORT_COLUMNS as readonly string[]).includes(n))
      errors.push({ row: 1, column: header[i] ?? n, code: 'unknown_column', message: 'unknown column' });
  });
  for (const c of REQUIRED)
    if (!names.includes(c)) errors.push({ row: 1, column: c, code: 'missing_column', message: 'missing column' });
  if (errors.length > 0) return { entries: [], errors };
  const results = body
    .map((cells, i) => ({ cells, rowNumber: i + 2 }))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ cells, rowNumber }) => {
      const row: Row = {};
      names.forEach((n, i) => {
        row[n as ImportColumn] = cells[i] ?? '';
      });
      return withRow(rowToEntry(row, rowNumber), rowNumber);
    });
  return collect(results);
}

const withRow = (r: { entry?: KnowledgeEntry; errors: ImportError[] }, rowNumber: number) =>
  r.entry ? { entry: r.entry, errors: [] as ImportError[], rowNumber } : { errors: r.errors, rowNumber };

/** A CSV file's text (a BOM, as Excel writes it, is skipped). */
export const importCsv = (input: string): ImportResult => importRows(parseCsv(input.replace(/^\uFEFF/, '')));

/** A JSON array whose elements are flat rows (the CSV's columns) or whole entries. */
export function importJson(input: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(input);
  } catch (e) {
    return { entries: [], errors: [{ row: 0, column: '', code: 'not_json', message: `not JSON: ${(e as Error).message}` }] };
  }
  if (!Array.isArray(data)) return { entries: [], errors: [{ row: 0, column: '', code: 'not_array', message: 'must be an array of entries' }] };
  const results = data.map((item: unknown, i) => {
    const rowNumber = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return { errors: [{ row: rowNumber, column: '', code: 'not_object' as const, message: 'must be an object' }], rowNumber };
    const record = item as Record<string, unknown>;
    // A whole entry has its department as an object; a flat row has it as text.
    if (typeof record['department'] === 'object' && record['department'] !== null)
      return withRow(checkEntry(record, rowNumber), rowNumber);
    const row: Row = {};
    for (const c of IMPORT_COLUMNS) {
      const value = record[c];
      if (value === undefined || value === null) continue;
      row[c] = Array.isArray(value) ? value.map(String).join('\n') : String(value);
    }
    return withRow(rowToEntry(row, rowNumber), rowNumber);
  });
  return collect(results);
}
