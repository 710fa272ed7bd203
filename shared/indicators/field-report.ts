/** 事件上报量 and 自行处置量. docs/INDICATORS.md. */
import { countOf, type Count } from './measures.ts';
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

/** 事件上报量 over the orders received in the period: grid workers' own field reports. */
export function fieldReportCountOf(received: readonly IndicatorRow[]): Count {
  return countOf(received.filter(isFieldReport));
}

export function isFieldReport(r: IndicatorRow): boolean {
  return r.source === 'field_report';
}

export function fieldReportCount(rows: readonly IndicatorRow[], period: Period): Count {
  return fieldReportCountOf(receivedRows(rows, period));
}

/**
 * 自行处置量: of those, the ones the worker settled on the spot. Read from the
 * summary's `selfHandled`, which stays false until the field report carries
 * the flag (TODO in shared/order/summary.ts), so this counts 0 for now.
 */
export function selfHandledCountOf(received: readonly IndicatorRow[]): Count {
  return countOf(received.filter(isSelfHandled));
}

export function isSelfHandled(r: IndicatorRow): boolean {
  return r.source === 'field_report' && r.selfHandled;
}

export function selfHandledCount(rows: readonly IndicatorRow[], period: Period): Count {
  return selfHandledCountOf(receivedRows(rows, period));
}
