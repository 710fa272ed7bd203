/**
 * POST /api/orders — intake from the hotline platform or the extension's
 * portal import. One intake or an array of them; idempotent by order number
 * (a repeat returns the existing order with 200, a new one 201; a number
 * taken by an order outside the caller's scope is a 409 that names nothing
 * of that order). The server
 * gives each new order a random id (an id in the request is replaced). The
 * order's doc is created here, durably, before the reply.
 */
import * as Y from 'yjs';
import { cryptoRandomBytes } from '#shared/clock/ids.ts';
import type { Role } from '#shared/org/roles.ts';
import { EVENT_RULES } from '#shared/order/rules.ts';
import { checkPlace, mayOpenOrder } from '#shared/org/scope.ts';
import { OrderIntakeSchema, newOrderId, type OrderIntake } from '#shared/order/intake.ts';
import { orderDocName } from '#shared/sync/doc-names.ts';
import { initOrderDoc, readIntake } from '#shared/sync/order-doc.ts';
import type { DuplicateSuggestion } from '#shared/duplicates/detect.ts';
import { validate, type FieldError } from '#shared/validation/result.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { OrderIdTakenError, type OrderRow } from '../store/store.ts';
import type { LoggedOrigin } from '../sync/durable.ts';
import { claimsOf, SERVER_WRITER } from '../sync/client-claims.ts';
import { newOrderRow } from '../sync/order-row.ts';
import { log } from '../log.ts';
import { requireSession } from './auth-routes.ts';
import { HttpError, readJson, sendJson, type Route } from './http.ts';

export const INTAKE_ROLES: readonly Role[] = ['street_clerk', 'supervisor', 'admin'];
const MAX_BATCH = 1000;
/** Who sees duplicate candidates: those who may merge (EVENT_RULES.merge) and the admin. */
const DUPLICATE_ROLES: readonly Role[] = [...EVENT_RULES.merge.roles, 'admin'];

export type IntakeOutcome =
  | {
      readonly status: 201 | 200;
      readonly id: string;
      readonly orderNo: string;
      readonly created: boolean;
      /** Likely and possible duplicates among the street's recent orders the caller may see, best first, with what matched. */
      readonly duplicates: readonly DuplicateSuggestion[];
    }
  | { readonly status: 400 | 403 | 409; readonly error: { code: string; message: string; field?: string; errors?: FieldError[] } };

export async function intakeOrder(services: Services, user: AuthUser, input: unknown, fieldPrefix = ''): Promise<IntakeOutcome> {
  const prefix = (errors: FieldError[]) => errors.map((e) => ({ ...e, field: fieldPrefix + e.field }));
  // The server names the order: an id sent with the intake is replaced, so no
  // one can choose (or guess from the order number) the name of its document.
  const withId = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, id: newOrderId(cryptoRandomBytes) } : input;
  const parsed = validate(OrderIntakeSchema, withId);
  if (!parsed.ok) {
    const errors = prefix(parsed.errors);
    return { status: 400, error: { code: 'invalid', message: `${errors[0]!.field}: ${errors[0]!.message}`, field: errors[0]!.field, errors } };
  }
  let intake: OrderIntake = parsed.value;
  if (intake.source === 'field_report') {
    const field = `${fieldPrefix}source`;
    return { status: 400, error: { code: 'invalid', message: `${field}: field reports are created by their reporter over sync`, field } };
  }
  const placeErrors = prefix(checkPlace(services.directory.tree, intake.place));
  if (placeErrors.length > 0) {
    return { status: 400, error: { code: 'invalid_place', message: `${placeErrors[0]!.field}: ${placeErrors[0]!.message}`, field: placeErrors[0]!.field, errors: placeErrors } };
  }
  const scope = mayOpenOrder(services.directory.tree, user, { place: intake.place, targetUnitId: null, pastTargetUnitIds: [], assignee: null, participants: [] });
  if (!scope.ok) {
    return { status: 403, error: { code: 'place_out_of_scope', message: `the place is outside your unit (${user.unitId})`, field: `${fieldPrefix}place` } };
  }

  const existing = await services.store.getOrderByNo(intake.orderNo);
  if (existing) return known(services, user, existing, fieldPrefix);

  let created: { intake: OrderIntake; name: string; update: Uint8Array } | null = null;
  // 82 random bits: a second draw is for the theory, a third never happens.
  for (let attempt = 0; attempt < 3 && created === null; attempt++) {
    const named: OrderIntake = attempt === 0 ? intake : { ...intake, id: newOrderId(cryptoRandomBytes) };
    const doc = new Y.Doc();
    initOrderDoc(doc, named);
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    const name = orderDocName(named.id);
    let result;
    try {
      result = await services.store.createOrder(newOrderRow(named, Date.now()), name, update, { claims: claimsOf(update, SERVER_WRITER) });
    } catch (error) {
      if (error instanceof OrderIdTakenError) continue;
      throw error;
    }
    if (!result.created) {
      const other = await services.store.getOrder(result.existingId);
      if (!other) throw new Error(`order ${result.existingId} vanished`);
      return known(services, user, other, fieldPrefix);
    }
    created = { intake: named, name, update };
  }
  if (created === null) throw new Error('could not draw a free order id');
  const { name, update } = created;
  intake = created.intake;
  // The caller attaches the intake's photos: they become readable through the order once the caller has uploaded them.
  if (intake.attachments.length > 0) await services.store.addPhotoRefs(intake.id, intake.attachments.map((a) => ({ sha256: a.sha256, attachedBy: user.id })));

  // The update is in the log; bring it into the live doc too if anyone has it
  // open (a no-op when the doc loads fresh from the store).
  const connection = await services.hocuspocus.openDirectConnection(name, { logged: true } satisfies LoggedOrigin);
  try {
    await connection.transact((live) => Y.applyUpdate(live, update));
  } finally {
    await connection.disconnect({ unloadImmediately: false });
  }
  const duplicates = await duplicatesFor(services, user, intake);
  // A candidate at once, so the next intake of a batch sees it before the indexer has run.
  services.duplicates.observe(intake, { status: 'pending_dispatch', closedAt: null, mergedInto: null });
  services.indexer.touch(intake.id);
  log.info('order_created', { order: intake.id, orderNo: intake.orderNo, by: user.id, source: intake.source, duplicates: duplicates.length });
  return { status: 201, id: intake.id, orderNo: intake.orderNo, created: true, duplicates };
}

/**
 * The duplicate candidates of `intake` (server/duplicates/duplicates.ts): its
 * street's orders only, and of those only the ones the caller may open — a
 * supervisor's intake sees its district's street, never another's. Reasons
 * name what matched, never the phone number itself.
 */
async function duplicatesFor(services: Services, user: AuthUser, intake: OrderIntake): Promise<DuplicateSuggestion[]> {
  const found = await services.duplicates.find(intake);
  const visible: DuplicateSuggestion[] = [];
  for (const suggestion of found) {
    const row = await services.store.getOrder(suggestion.id);
    if (row && row.place.streetId === intake.place.streetId && mayOpenOrder(services.directory.tree, user, row).ok) visible.push(suggestion);
  }
  return visible;
}

/** GET /api/orders/:id/duplicates: the candidates of an order already in (a field report, an order being dispatched). */
async function duplicatesOfOrder(services: Services, user: AuthUser, orderId: string): Promise<DuplicateSuggestion[] | null> {
  const row = await services.store.getOrder(orderId);
  if (!row || !mayOpenOrder(services.directory.tree, user, row).ok) return null;
  const connection = await services.hocuspocus.openDirectConnection(orderDocName(orderId), { indexer: true });
  const read = await (async () => {
    try {
      return connection.document ? readIntake(connection.document) : null;
    } finally {
      await connection.disconnect({ unloadImmediately: false });
    }
  })();
  return read?.ok ? duplicatesFor(services, user, read.value) : null;
}

/**
 * An intake for an order number that is taken: the same order again (200 with
 * its id) when the caller may see it, else 409 without a word about it, so an
 * order number is no way to learn another street's order id.
 */
function known(services: Services, user: AuthUser, order: OrderRow, fieldPrefix: string): IntakeOutcome {
  if (mayOpenOrder(services.directory.tree, user, order).ok) return { status: 200, id: order.id, orderNo: order.orderNo, created: false, duplicates: [] };
  const field = `${fieldPrefix}orderNo`;
  return { status: 409, error: { code: 'order_no_taken', message: `${field}: this order number belongs to an order outside your scope`, field } };
}

export function orderRoutes(services: Services): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/orders',
      handler: async ({ req, res }) => {
        const session = await requireSession(services, req);
        if (!INTAKE_ROLES.includes(session.user.role)) {
          req.resume();
          throw new HttpError(403, 'forbidden', `a ${session.user.role} may not create orders; field reports are created over sync`);
        }
        const body = await readJson(req, services.config.jsonMaxBytes);
        if (!Array.isArray(body)) {
          const outcome = await intakeOrder(services, session.user, body);
          if ('error' in outcome) {
            sendJson(res, outcome.status, { error: outcome.error });
            return;
          }
          sendJson(res, outcome.status, { id: outcome.id, orderNo: outcome.orderNo, created: outcome.created, duplicates: outcome.duplicates });
          return;
        }
        if (body.length === 0 || body.length > MAX_BATCH) throw new HttpError(400, 'invalid', `send between 1 and ${MAX_BATCH} intakes`);
        const results = [];
        for (const [index, item] of body.entries()) {
          const outcome = await intakeOrder(services, session.user, item, `[${index}].`);
          results.push({ index, ...outcome });
        }
        const created = results.filter((r) => r.status === 201).length;
        const existing = results.filter((r) => r.status === 200).length;
        sendJson(res, 200, { created, existing, failed: results.length - created - existing, results });
      },
    },
    {
      method: 'GET',
      path: '/api/orders/:id/duplicates',
      handler: async ({ req, res, params }) => {
        const session = await requireSession(services, req);
        if (!DUPLICATE_ROLES.includes(session.user.role)) throw new HttpError(403, 'forbidden', `a ${session.user.role} does not merge orders`);
        const found = await duplicatesOfOrder(services, session.user, params['id'] ?? '');
        // Unknown and out of scope look the same.
        if (found === null) throw new HttpError(404, 'not_found', 'no such order');
        sendJson(res, 200, { duplicates: found });
      },
    },
  ];
}
