/** 事件上报量 and 自行处置量. docs/INDICATORS.md. */
import { countOf, type Count } from './measures.ts';
import type { Period } from './period.ts';
import { receivedRows } from './received.ts';
import type { IndicatorRow } from './row.ts';

/** 事件上报量: grid workers' own field reports received in the period. */
export function fieldReportCount(rows: readonly IndicatorRow[], period: Period): Count {
  return countOf(receivedRows(rows, period).filter((r) => r.source === 'field_report'));
}

/**
 * 自行处置量: of those, the ones the worker settled on the spot. Read from the
 * summary's `selfHandled`, which stays false until the field report carries
 * the flag (TODO in shared/order/summary.ts), so this counts 0 for now.
 */
export function selfHandledCount(rows: readonly IndicatorRow[], period: Period): Count {
  return countOf(receivedRows(rows, period).filter((r) => r.source === 'field_report' && r.selfHandled));
}
