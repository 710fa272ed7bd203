import { describe, expect, it } from 'vitest';
import { citationOf, citeInto } from '#shared/knowledge/cite.ts';
import { testEntry } from '../../support/knowledge-files.ts';

describe('citing an entry', () => {
  it('names the policy documents, or the department without one', () => {
    expect(citationOf(testEntry('kb-a'))).toBe('（依据：《〔示例〕既有住宅加装电梯实施办法》〔示例〕示住〔2023〕12号）');
    expect(citationOf(testEntry('kb-b', { basis: [] }))).toBe('（来源：示范市住房和城乡建设局）');
  });

  it('appends to what is written, on a new line, within the field’s limit', () => {
    const entry = testEntry('kb-a', { answer: '您好！请到社区办理。' });
    expect(citeInto('', entry)).toBe(`您好！请到社区办理。${citationOf(entry)}`);
    expect(citeInto('已到现场核实。', entry)).toBe(`已到现场核实。\n您好！请到社区办理。${citationOf(entry)}`);
    expect(citeInto('', entry, 5)).toBe('您好！请到');
  });
});
