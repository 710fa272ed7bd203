import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { validate } from '#shared/validation/result.ts';
import { OrderIntakeSchema } from '#shared/order/intake.ts';
import { EVENT_TYPES, OrderEventSchema, PAYLOADS, validateOrderEvent, type EventDraft, type EventType } from '#shared/order/events.ts';
import { UnitSchema, buildOrgTree } from '#shared/org/units.ts';
import { UserSchema } from '#shared/org/roles.ts';
import { maskPhone } from '#shared/order/values.ts';
import { DAY, HOUR, T0, Writer, intake, payloads, users } from '../support/builders.ts';

/**
 * One valid payload per event type. The mapped type makes a new event type a
 * compile error here until it has an example.
 */
const EXAMPLE_PAYLOADS: { readonly [T in EventType]: Extract<EventDraft, { type: T }>['payload'] } = {
  dispatch: payloads.dispatchToGrid(),
  accept: {},
  return: { code: 'wrong_jurisdiction', reason: '不属于本网格' },
  extension_request: { reason: '需协调产权单位', until: T0 + 10 * DAY },
  extension_approve: { requestId: 'request-0001', until: T0 + 8 * DAY },
  extension_refuse: { requestId: 'request-0001', reason: '可在期限内办结' },
  check_in: { location: { kind: 'none', reason: 'indoors' } },
  progress: { text: '已联系物业' },
  photo_added: payloads.photo(1),
  close: payloads.close(),
  review_pass: { note: '办理规范' },
  review_reject: { reason: '照片不清晰', until: T0 + 8 * DAY },
  portal_reply: { portal: '12345', note: '已录入' },
  callback: { satisfaction: 'satisfied', reached: 'sms', note: '群众表示满意' },
  reopen: { reason: '问题反复', until: T0 + 9 * DAY },
  supervise: { level: 'reminder', note: '请尽快办结', respondWithinHours: 24 },
  phone_reveal: { purpose: '联系市民' },
  conflict_resolve: { eventId: 'event-00000001', note: '已核实' },
  merge: { intoOrderNo: '250912101108115400' },
  archive: {},
};

const fields = (result: { ok: boolean; errors?: { field: string }[] }) => (result.ok ? [] : result.errors!.map((e) => e.field));

function event(overrides: Record<string, unknown> = {}, payloadOverrides: Record<string, unknown> = {}) {
  const base = new Writer(users.worker, 1).write({ type: 'close', payload: payloads.close() }, T0 + HOUR);
  return { ...base, ...overrides, payload: { ...base.payload, ...payloadOverrides } };
}

describe('intake validation', () => {
  it('accepts a complete intake and fills defaults', () => {
    const result = validate(OrderIntakeSchema, { ...intake(), supervision: undefined, attachments: undefined });
    expect(result.ok && result.value.supervision).toBe('none');
  });

  it.each([
    ['orderNo', { orderNo: '12' }],
    ['channel', { channel: 'fax' }],
    ['type', { type: 'rant' }],
    ['title', { title: '   ' }],
    ['content', { content: 'x'.repeat(5001) }],
    ['citizen.phone', { citizen: { name: '张', phone: 'call me' } }],
    ['place.streetId', { place: { districtId: 'd1' } }],
    ['receivedAt', { receivedAt: 'yesterday' }],
    ['deadline', { deadline: T0 - 1 }],
    ['reportedBy', { source: 'field_report', reportedBy: undefined }],
    ['location.position.accuracy', { location: { kind: 'fix', position: { lat: 1, lng: 1, accuracy: -5 } } }],
    ['attachments.0.sha256', { attachments: [{ sha256: 'abc', name: 'a.jpg', mime: 'image/jpeg', size: 10 }] }],
  ])('names %s when it is wrong', (field, overrides) => {
    expect(fields(validate(OrderIntakeSchema, { ...intake(), ...overrides }))).toContain(field);
  });
});

describe('event validation', () => {
  it('accepts a well-formed close', () => {
    expect(validate(OrderEventSchema, event()).ok).toBe(true);
  });

  it.each([
    ['id', { id: '' }],
    ['hlc', { hlc: '2026-11-02' }],
    ['role', { role: 'mayor' }],
    ['at', { at: -1 }],
    ['actor', { actor: 'a b' }],
    ['type', { type: 'delete_everything' }],
  ])('names the envelope field %s', (field, overrides) => {
    expect(fields(validate(OrderEventSchema, event(overrides)))).toContain(field);
  });

  it.each([
    ['payload.unresolvedReason', { resolution: 'unresolved' }],
    ['payload.contact.method', { contact: { contacted: true, at: T0 } }],
    ['payload.contact.at', { contact: { contacted: true, method: 'phone' } }],
    ['payload.contact.note', { contact: { contacted: false } }],
    ['payload.actions', { actions: '' }],
    ['payload.publicReply', { publicReply: '好' }],
    ['payload.photos.handling.0', { photos: { handling: ['not-a-hash'] } }],
    ['payload.founded', { founded: 'yes' }],
  ])('names the close field %s', (field, payloadOverrides) => {
    expect(fields(validate(OrderEventSchema, event({}, payloadOverrides)))).toContain(field);
  });

  it('requires a reason to return an order', () => {
    const ret = { ...event(), type: 'return', payload: { code: 'other', reason: ' ' } };
    expect(fields(validate(OrderEventSchema, ret))).toContain('payload.reason');
  });

  it('refuses unknown keys in events without a payload', () => {
    const accept = { ...event(), type: 'accept', payload: { sneaky: true } };
    expect(fields(validate(OrderEventSchema, accept))).toContain('payload.sneaky');
  });

  it('has a payload schema for every event type the variant knows', () => {
    for (const type of Object.keys(PAYLOADS)) {
      const result = validate(OrderEventSchema, { ...event(), type, payload: 42 });
      expect(result.ok, type).toBe(false);
      expect(fields(result)).toContain('payload');
    }
  });

  it('every event type has a payload schema that accepts a valid example and refuses junk', () => {
    for (const type of EVENT_TYPES) {
      const example = { ...event(), type, payload: EXAMPLE_PAYLOADS[type] };
      expect(validate(OrderEventSchema, example).ok, `${type} example`).toBe(true);
      for (const junk of [42, null, 'x', undefined]) {
        expect(fields(validate(OrderEventSchema, { ...example, payload: junk })), `${type} with ${JSON.stringify(junk)}`).toContain('payload');
      }
    }
  });

  it('knows every event type, and no other, as a variant', () => {
    expect(OrderEventSchema.options.map((option) => option.entries.type.literal)).toEqual(EVENT_TYPES);
  });

  it('validateOrderEvent says what OrderEventSchema says, for every type, valid or not, and for anything else', () => {
    const inputs: unknown[] = [null, 42, 'close', {}, { type: 'delete_everything' }, { ...event(), type: 42 }, event({ id: '' }), event({ hlc: 'x' })];
    for (const type of EVENT_TYPES) {
      const example = { ...event(), type, payload: EXAMPLE_PAYLOADS[type] };
      inputs.push(example, { ...example, payload: 42 }, { ...example, payload: null }, { ...example, extra: 1 }, { ...example, role: 'mayor' });
    }
    for (const input of inputs) expect(validateOrderEvent(input), JSON.stringify(input)).toEqual(validate(OrderEventSchema, input));
    fc.assert(fc.property(fc.anything(), (input) => void expect(validateOrderEvent(input)).toEqual(validate(OrderEventSchema, input))));
  });

  it("validateOrderEvent runs only the event's own type's schema for a known type, not the variant over all of them", () => {
    const variant = vi.spyOn(OrderEventSchema, '~run');
    try {
      expect(validateOrderEvent(event()).ok).toBe(true);
      expect(validateOrderEvent(event({ id: '' })).ok).toBe(false);
      expect(variant).not.toHaveBeenCalled();
      expect(validateOrderEvent({ ...event(), type: 'delete_everything' }).ok).toBe(false);
      expect(variant).toHaveBeenCalledTimes(1);
    } finally {
      variant.mockRestore();
    }
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        for (const schema of [OrderEventSchema, OrderIntakeSchema, UnitSchema, UserSchema]) {
          const result = validate(schema, input);
          if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe('organisation', () => {
  it('names the bad field of a unit and a user', () => {
    expect(fields(validate(UnitSchema, { id: 'x', kind: 'planet', name: 'a', parentId: null }))).toEqual(['kind']);
    expect(fields(validate(UserSchema, { id: 'u1', name: '', role: 'grid_worker', unitId: 'g1' }))).toEqual(['name']);
  });

  it('refuses a tree whose levels are out of order or whose parent is missing', () => {
    const city = { id: 'c', kind: 'city', name: '示范市', parentId: null } as const;
    expect(() => buildOrgTree([city, { id: 'g', kind: 'grid', name: '一网格', parentId: 'c' }])).toThrow(/cannot sit under/);
    expect(() => buildOrgTree([city, { id: 'd', kind: 'district', name: '区', parentId: 'nowhere' }])).toThrow(/unknown parent/);
  });
});

describe('maskPhone', () => {
  it('masks the middle of a mobile number and most of a short one', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0379-6543210')).toBe('037****3210');
    expect(maskPhone('12345')).toBe('***45');
  });
});
