/**
 * What the indicators read: an order's index summary (shared/order/summary.ts),
 * the same record the device stores per order after a sync. Indicators never
 * open an order doc, so they work offline from the synced index.
 */
import type { OrderSummary } from '../order/summary.ts';

export type IndicatorRow = Pick<
  OrderSummary,
  | 'id'
  | 'orderNo'
  | 'source'
  | 'channel'
  | 'type'
  | 'category'
  | 'title'
  | 'address'
  | 'districtId'
  | 'streetId'
  | 'communityId'
  | 'gridId'
  | 'receivedAt'
  | 'status'
  | 'deadline'
  | 'deadlineExtended'
  | 'acceptDueAt'
  | 'supervision'
  | 'closedAt'
  | 'dispatchedAt'
  | 'acceptedAt'
  | 'dispatchCount'
  | 'returnCount'
  | 'reopenCount'
  | 'checkInCount'
  | 'closePhotoCount'
  | 'callback'
  | 'closeCalledBack'
  | 'supervisedAt'
  | 'supervisionAnsweredAt'
  | 'selfHandled'
>;

type Defaulted = 'dispatchedAt' | 'acceptedAt' | 'dispatchCount' | 'returnCount' | 'reopenCount' | 'checkInCount' | 'closePhotoCount' | 'callback' | 'closeCalledBack' | 'supervisedAt' | 'supervisionAnsweredAt' | 'selfHandled';

/**
 * A row stored on the device before the indicator fields existed lacks them;
 * read it as the summary schema would (the same defaults), without a full parse.
 */
export function indicatorRow<T extends Omit<IndicatorRow, Defaulted> & Partial<Pick<IndicatorRow, Defaulted>>>(row: T): T & IndicatorRow {
  if (row.selfHandled !== undefined) return row as T & IndicatorRow;
  return {
    dispatchedAt: null,
    acceptedAt: null,
    dispatchCount: 0,
    returnCount: 0,
    reopenCount: 0,
    checkInCount: 0,
    closePhotoCount: 0,
    callback: null,
    closeCalledBack: false,
    supervisedAt: null,
    supervisionAnsweredAt: null,
    selfHandled: false,
    ...row,
  };
}

/** 并单: the matter is counted once, in the order it was merged into. */
export function counts(row: Pick<IndicatorRow, 'status'>): boolean {
  return row.status !== 'merged';
}
