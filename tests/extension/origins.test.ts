/** Portal origins and the host patterns the extension asks the browser for. */
import { describe, expect, it } from 'vitest';
import { hostPatternOf, portalOriginOf } from '#extension/lib/origins.ts';

describe('origins', () => {
  it('asks for the host without its port (Firefox patterns cannot carry one)', () => {
    expect(hostPatternOf('http://127.0.0.1:8790')).toBe('http://127.0.0.1/*');
    expect(hostPatternOf('https://12345.example.gov.cn')).toBe('https://12345.example.gov.cn/*');
  });

  it('works only on http(s) pages', () => {
    expect(portalOriginOf('https://12345.example.gov.cn/a/b?c#d')).toBe('https://12345.example.gov.cn');
    for (const url of ['chrome://extensions', 'chrome-extension://abc/popup.html', 'file:///tmp/x.html', 'not a url', undefined]) {
      expect(portalOriginOf(url)).toBeNull();
    }
  });
});
