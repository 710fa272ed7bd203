/** 受理量: orders received in the period. docs/INDICATORS.md. */
import { countOf, type Count } from './measures.ts';
import { inPeriod, type Period } from './period.ts';
import { counts, type IndicatorRow } from './row.ts';

export function isReceivedIn(row: IndicatorRow, period: Period): boolean {
  return counts(row) && inPeriod(row.receivedAt, period);
}

export function receivedRows<T extends IndicatorRow>(rows: readonly T[], period: Period): T[] {
  return rows.filter((r) => isReceivedIn(r, period));
}

export function receivedCount(rows: readonly IndicatorRow[], period: Period): Count {
  return countOf(receivedRows(rows, period));
}
