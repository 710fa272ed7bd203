/** The watermark says nothing about a zero clock offset, and writes accuracy in Chinese units. */
import { describe, expect, it } from 'vitest';
import { watermarkLines } from '#pwa/src/photo/watermark-lines.ts';
import zhCN from '#pwa/src/i18n/zh-CN.ts';

function t(key: string, values: Record<string, unknown> = {}): string {
  const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zhCN);
  return String(template).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}

const facts = {
  takenAt: Date.UTC(2026, 11, 4, 22, 46, 21),
  location: { kind: 'fix', position: { lat: 34.6712, lng: 112.4021, accuracy: 15.2 } },
  address: '中州路 12 号',
  orderNo: '261205064621000123',
  handlerName: '王网格',
} as const;

describe('watermarkLines', () => {
  it('leaves out an offset of zero (no "与服务器时差 -0秒")', () => {
    for (const serverOffsetMs of [0, -120, 300]) {
      const [first] = watermarkLines({ ...facts, serverOffsetMs }, t);
      expect(first).toBe('2026-12-05 06:46:21（设备时间）');
    }
  });

  it('still shows a real offset, and says when the clock was never checked', () => {
    expect(watermarkLines({ ...facts, serverOffsetMs: -12_000 }, t)[0]).toContain('与服务器时差 -12秒');
    expect(watermarkLines({ ...facts, serverOffsetMs: null }, t)[0]).toContain('未与服务器校时');
  });

  it('writes the accuracy as ±15 米', () => {
    expect(watermarkLines({ ...facts, serverOffsetMs: 0 }, t)[1]).toBe('34.67120, 112.40210 ±15 米');
  });
});
