/** 现场核实率 and 照片取证率. docs/INDICATORS.md. */
import { closedRows } from './closed.ts';
import { rateOf, type Rate } from './measures.ts';
import type { Period } from './period.ts';
import type { IndicatorRow } from './row.ts';

/** 现场核实率: of the orders closed in the period, those with at least one 到场打卡. */
export function checkInRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return rateOf(closedRows(rows, period), (r) => r.checkInCount > 0);
}

/** 照片取证率: of the orders closed in the period, those whose close names at least one photo. */
export function photoEvidenceRate(rows: readonly IndicatorRow[], period: Period): Rate {
  return rateOf(closedRows(rows, period), (r) => r.closePhotoCount > 0);
}
