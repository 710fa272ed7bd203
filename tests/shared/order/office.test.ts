import { describe, expect, it } from 'vitest';
import { deriveOrder } from '#shared/order/reducer.ts';
import { availableActions } from '#shared/order/actions.ts';
import { OFFICE_ACTIONS, conflictChoices, officeActionsOffered, redoDeadline } from '#shared/order/office.ts';
import { EVENT_RULES } from '#shared/order/rules.ts';
import { HOUR, History, T0, intake, payloads, sha, users } from '../support/builders.ts';

describe('office screens', () => {
  it('offers each screen exactly when the rules offer one of its events', () => {
    const h = new History();
    const at = (view: ReturnType<typeof deriveOrder>, user: (typeof users)[keyof typeof users]) => officeActionsOffered(availableActions(view, user));
    expect(at(deriveOrder(intake(), h.events, T0), users.clerk)).toEqual(['dispatch', 'supervise', 'merge']);
    expect(at(deriveOrder(intake(), h.events, T0), users.worker)).toEqual([]);
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 60_000);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 120_000);
    h.by(users.worker).do({ type: 'extension_request', payload: { reason: '需协调施工单位', until: T0 + 9 * 24 * HOUR } }, T0 + HOUR);
    expect(at(deriveOrder(intake(), h.events, T0 + 2 * HOUR), users.clerk)).toEqual(['dispatch', 'extension_decide', 'supervise']);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + 3 * HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 4 * HOUR);
    expect(at(deriveOrder(intake(), h.events, T0 + 5 * HOUR), users.clerk)).toEqual(['review', 'reopen', 'supervise']);
    // Every event a screen writes is an event of the rules.
    for (const types of Object.values(OFFICE_ACTIONS)) for (const type of types) expect(EVENT_RULES[type]).toBeDefined();
  });

  it('lets a clerk acknowledge a conflict, and redo the action when the rules allow it now', () => {
    const h = new History();
    h.by(users.clerk).do({ type: 'dispatch', payload: payloads.dispatchToGrid() }, T0 + 60_000);
    h.by(users.worker).do({ type: 'accept', payload: {} }, T0 + 120_000);
    h.by(users.worker).do({ type: 'photo_added', payload: payloads.photo(1) }, T0 + HOUR);
    // An archive before anything was closed: a conflict that no redo can fix now.
    h.by(users.clerk).do({ type: 'archive', payload: {} }, T0 + 2 * HOUR);
    h.by(users.worker).do({ type: 'close', payload: payloads.close([sha(1)]) }, T0 + 3 * HOUR);
    // A second worker's accept, a conflict the office only acknowledges.
    h.by(users.worker2).do({ type: 'accept', payload: {} }, T0 + 4 * HOUR);
    const view = deriveOrder(intake(), h.events, T0 + 5 * HOUR);
    const [archive, accept] = view.conflicts;
    expect(conflictChoices(view, users.clerk, archive!)).toEqual({ acknowledge: true, redo: null });
    expect(conflictChoices(view, users.clerk, accept!)).toEqual({ acknowledge: true, redo: null });
    expect(conflictChoices(view, users.worker, accept!)).toEqual({ acknowledge: false, redo: null });

    h.by(users.clerk).do({ type: 'review_pass', payload: {} }, T0 + 6 * HOUR);
    h.by(users.clerk).do({ type: 'portal_reply', payload: {} }, T0 + 7 * HOUR);
    const later = deriveOrder(intake(), h.events, T0 + 8 * HOUR);
    expect(conflictChoices(later, users.clerk, later.conflicts[0]!)).toEqual({ acknowledge: true, redo: 'archive' });
  });

  it('gives a redo three working days, to the end of the day', () => {
    // Monday 09:30 CST → Thursday 23:59:59.999 CST.
    expect(redoDeadline(T0)).toBe(Date.UTC(2026, 10, 5, 15, 59, 59, 999));
  });
});
