/** 现场核实率 and 照片取证率. docs/INDICATORS.md. */
import { closedRows } from './closed.ts';
import { rateOf, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import type { IndicatorRow } from './row.ts';

/** 现场核实率 over the orders closed in the period: those with at least one 到场打卡. */
export function checkInRateOf(closed: readonly IndicatorRow[]): Rate {
  return rateOf(closed, isCheckedIn);
}

export function isCheckedIn(r: IndicatorRow): boolean {
  return r.checkInCount > 0;
}

export function checkInRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return checkInRateOf(closedRows(rows, period));
}

/** 照片取证率 over the orders closed in the period: those whose close names at least one photo. */
export function photoEvidenceRateOf(closed: readonly IndicatorRow[]): Rate {
  return rateOf(closed, hasClosePhoto);
}

export function hasClosePhoto(r: IndicatorRow): boolean {
  return r.closePhotoCount > 0;
}

export function photoEvidenceRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return photoEvidenceRateOf(closedRows(rows, period));
}
