import { describe, expect, it } from 'vitest';
import { BUILTIN_ADAPTERS } from '#shared/portal/builtin.ts';
import { exportAdapter, parseAdapter } from '#shared/portal/parse.ts';
import type { PortalAdapterInput } from '#shared/portal/adapter.ts';
import { urlMatches, urlPatternFor } from '#shared/portal/url.ts';

const minimal = (): PortalAdapterInput => ({
  version: 1,
  id: 'test-portal',
  name: '测试门户',
  reply: {
    page: { urls: ['*/reply/*'], check: { selector: 'h2', text: '办理回复' } },
    fields: [{ key: 'note1', label: '诉求属实', source: 'founded', widget: { kind: 'radio' }, locators: [{ by: 'name', value: 'note1' }] }],
  },
});

const fieldsOf = (input: unknown) => {
  const parsed = parseAdapter(input);
  return parsed.ok ? [] : parsed.errors.map((e) => e.field);
};

describe('parseAdapter', () => {
  it('accepts the built-in adapters and round-trips them through export', () => {
    expect(BUILTIN_ADAPTERS.length).toBeGreaterThanOrEqual(1);
    for (const adapter of BUILTIN_ADAPTERS) {
      const again = parseAdapter(exportAdapter(adapter));
      expect(again).toEqual({ ok: true, value: adapter });
    }
  });

  it('accepts a minimal adapter', () => {
    expect(parseAdapter(minimal()).ok).toBe(true);
  });

  it('names the path of each problem', () => {
    const bad = minimal() as unknown as { reply: { fields: Record<string, unknown>[] } };
    bad.reply.fields[0]!.locators = [];
    bad.reply.fields[0]!.widget = { kind: 'spinner' };
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['reply.fields.0.locators', 'reply.fields.0.widget.kind']));
  });

  it('refuses another version, saying which one it reads', () => {
    const parsed = parseAdapter({ ...minimal(), version: 2 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatchObject({ field: 'version', message: expect.stringContaining('version 1') });
  });

  it('refuses selectors with generated ids or state classes', () => {
    for (const selector of ['#el-id-1024-7', '.el-radio.is-checked input', 'dd.layui-this', 'div[data-v-7ba5bd90] input']) {
      const input = minimal();
      input.reply!.fields[0]!.locators = [{ by: 'css', selector }];
      expect(fieldsOf(input)).toEqual(['reply.fields.0.locators.0.selector']);
    }
  });

  it('refuses photos into a text widget and a text into a file widget', () => {
    const input = minimal();
    input.reply!.fields[0] = { key: 'f', label: '办理附件', source: 'photos.handling', widget: { kind: 'text' }, locators: [{ by: 'name', value: 'f' }] };
    expect(fieldsOf(input)).toEqual(['reply.fields.0.widget']);
  });

  it('refuses duplicate reply keys, a fixed field without text, and an adapter with no pages', () => {
    const input = minimal();
    const field = input.reply!.fields[0]!;
    input.reply!.fields.push({ ...field });
    expect(fieldsOf(input)).toEqual(['reply.fields']);
    const fixed = minimal();
    fixed.reply!.fields[0] = { ...field, source: 'fixed' };
    expect(fieldsOf(fixed)).toEqual(['reply.fields.0.fixed']);
    const { reply: _reply, ...empty } = minimal();
    expect(parseAdapter(empty).ok).toBe(false);
  });

  it('takes date formats with unpadded tokens and refuses ambiguous ones by path', () => {
    const withFormat = (format: string) => {
      const input = minimal();
      input.reply!.fields[0] = { key: 'd', label: '联系时间', source: 'contactTime', widget: { kind: 'date', format }, locators: [{ by: 'name', value: 'd' }] };
      return input;
    };
    expect(parseAdapter(withFormat('yyyy年M月d日 H时mm分')).ok).toBe(true);
    expect(fieldsOf(withFormat('yyyyMd'))).toEqual(['reply.fields.0.widget.format']);
    expect(fieldsOf(withFormat('MM-dd'))).toEqual(['reply.fields.0.widget.format']);
  });

  it('reports JSON syntax errors instead of throwing', () => {
    const parsed = parseAdapter('{"version": 1,');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]?.message).toMatch(/^not JSON/);
  });
});

describe('URL patterns', () => {
  it('generalises a taught page URL over origin, order numbers and query', () => {
    const pattern = urlPatternFor('http://127.0.0.1:40121/layui/#handle/261201145105735077');
    expect(pattern).toBe('*/layui/#handle/*');
    expect(urlMatches(pattern, 'https://12345.gov.example/layui/#handle/250912101108115409')).toBe(true);
    expect(urlMatches(pattern, 'https://12345.gov.example/layui/#view/250912101108115409')).toBe(false);
    expect(urlPatternFor('https://x.example/Handle.do?token=abc123456&id=9#/f')).toBe('*/Handle.do?token=*&id=*#/f');
  });

  it('keeps the query by parameter names, values as wildcards, in any order, with more parameters allowed', () => {
    const order = urlPatternFor('http://10.1.2.3:8080/gd/main.html?record_number=261201145105735077');
    expect(order).toBe('*/gd/main.html?record_number=*');
    expect(urlMatches(order, 'https://gd.example/gd/main.html?record_number=250912101108115409')).toBe(true);
    expect(urlMatches(order, 'https://gd.example/gd/main.html?sid=x1&record_number=2509')).toBe(true);
    // The list on the same file is another page.
    expect(urlMatches(order, 'https://gd.example/gd/main.html')).toBe(false);
    expect(urlMatches(order, 'https://gd.example/gd/main.html?page=2')).toBe(false);
    expect(urlMatches(urlPatternFor('https://gd.example/gd/main.html'), 'https://gd.example/gd/main.html?record_number=1')).toBe(false);
    const reply = urlPatternFor('https://gd.example/gd/detail.html?record_number=2612&sid=S7f3a9c01');
    expect(reply).toBe('*/gd/detail.html?record_number=*&sid=*');
    expect(urlMatches(reply, 'http://other:81/gd/detail.html?sid=new&record_number=1')).toBe(true);
    expect(urlMatches(reply, 'http://other:81/gd/detail.html?record_number=1')).toBe(false);
    // Built-in patterns with a query keep their meaning.
    expect(urlMatches('*/ueditor/workorder/view.do?gdbh=*', 'http://h/ueditor/workorder/view.do?gdbh=2612')).toBe(true);
    expect(urlMatches('*/ueditor/workorder/view.do?gdbh=*', 'http://h/ueditor/workorder/reply.do?gdbh=2612')).toBe(false);
  });
});
