/** Issue 18: the live window for finished orders is on by default (30 days), configurable, and `off` keeps every order live; how often a busy document is folded. */
import { describe, expect, it } from 'vitest';
import { configFromArgs, DEFAULT_INDEX_LIVE_MS, resolveConfig } from '#server/config.ts';

const liveMs = (argv: readonly string[], env: Record<string, string> = {}) => resolveConfig(configFromArgs(argv, env)).indexLiveMs;

describe('--index-live', () => {
  it('is 30 days by default, takes a duration, and `off` turns archives off', () => {
    expect(DEFAULT_INDEX_LIVE_MS).toBe(30 * 86_400_000);
    expect(liveMs([])).toBe(DEFAULT_INDEX_LIVE_MS);
    expect(liveMs(['--index-live', '7d'])).toBe(7 * 86_400_000);
    expect(liveMs([], { INDEX_LIVE: '12h' })).toBe(12 * 3_600_000);
    expect(liveMs(['--index-live', 'off'])).toBeNull();
    expect(liveMs([], { INDEX_LIVE: 'off' })).toBeNull();
    expect(resolveConfig({ indexLiveMs: null }).indexLiveMs).toBeNull();
    expect(() => liveMs(['--index-live', 'soon'])).toThrow(/INDEX_LIVE|duration/);
  });
});

describe('--compact-max-debounce', () => {
  const maxDebounce = (argv: readonly string[], env: Record<string, string> = {}) => resolveConfig(configFromArgs(argv, env)).compactMaxDebounceMs;

  it('is 10 s by default and takes a duration from the flag or COMPACT_MAX_DEBOUNCE', () => {
    expect(maxDebounce([])).toBe(10_000);
    expect(maxDebounce(['--compact-max-debounce', '200ms'])).toBe(200);
    expect(maxDebounce([], { COMPACT_MAX_DEBOUNCE: '1m' })).toBe(60_000);
    expect(() => maxDebounce(['--compact-max-debounce', 'soon'])).toThrow(/COMPACT_MAX_DEBOUNCE|duration/);
  });
});
