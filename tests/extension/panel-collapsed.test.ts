/** The panel's collapsed state per portal origin: collapsing one portal leaves the others as they were. */
import { describe, expect, it } from 'vitest';
// The pure list, not panel-collapsed.ts: that imports the extension's storage items, which need a browser at import.
import { withCollapsed } from '#extension/lib/panel-collapsed-origins.ts';

describe('panel collapsed per origin', () => {
  it('adds an origin once, removes only that one', () => {
    const a = 'http://portal-a.gov.cn';
    const b = 'https://portal-b.gov.cn:8443';
    expect(withCollapsed([], a, true)).toEqual([a]);
    expect(withCollapsed([a], a, true)).toEqual([a]);
    expect(withCollapsed([a, b], a, false)).toEqual([b]);
    expect(withCollapsed([b], a, false)).toEqual([b]);
  });
});
