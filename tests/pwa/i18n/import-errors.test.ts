/**
 * The knowledge import's errors are shown by their code (shared/knowledge/import.ts);
 * every code has a text in zh-CN and en, and the codes the importer gives are known codes.
 */
import { describe, expect, it } from 'vitest';
import { IMPORT_ERROR_CODES, importCsv, importJson } from '#shared/knowledge/import.ts';
import en from '#pwa/src/i18n/en.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';
import { entryRow, knowledgeCsv, testEntry } from '../../support/knowledge-files.ts';

describe('knowledge import error texts', () => {
  it('every error code has a text in zh-CN and en', () => {
    for (const [locale, messages] of [['zh-CN', zhCN], ['en', en]] as const) {
      expect(Object.keys(messages.knowledgeImport.error).sort(), locale).toEqual([...IMPORT_ERROR_CODES].sort());
      for (const code of IMPORT_ERROR_CODES) expect(messages.knowledgeImport.error[code].trim(), `${locale} ${code}`).not.toBe('');
    }
  });

  it('gives a code and its limit for the schema’s checks (a short answer, too many tags)', () => {
    const csv = knowledgeCsv([
      { ...entryRow(testEntry('kb-short')), answer: '太短了' },
      { ...entryRow(testEntry('kb-tags')), tags: Array.from({ length: 21 }, (_, i) => `标签${i}`).join('|') },
    ]);
    const { errors } = importCsv(csv);
    expect(errors.map(({ row, column, code, params }) => ({ row, column, code, params }))).toEqual([
      { row: 2, column: 'answer', code: 'too_short', params: { min: 10 } },
      { row: 3, column: 'tags', code: 'too_many', params: { max: 20 } },
    ]);
    expect(zhCN.knowledgeImport.error.too_short).toContain('{min}');
  });

  it('gives codes for files that are not what they should be', () => {
    expect(importJson('{').errors.map((e) => e.code)).toEqual(['not_json']);
    expect(importJson('{}').errors.map((e) => e.code)).toEqual(['not_array']);
    expect(importJson('[1]').errors.map((e) => e.code)).toEqual(['not_object']);
    expect(importCsv('').errors.map((e) => e.code)).toEqual(['file_empty']);
  });
});
