/** How the page writes an indicator's figure: rates as percentages, means to two decimals. */
import type { Indicators, IndicatorKey } from '#shared/indicators/indicators.ts';

export function figureText(indicators: Indicators, key: IndicatorKey, none: string): string {
  const value = indicators[key];
  if ('rate' in value) return value.rate === null ? none : `${(value.rate * 100).toFixed(2)}%`;
  if ('n' in value) return value.value === null ? none : value.value.toFixed(2);
  return String(value.value);
}

export function percentText(share: number | null, none = '—'): string {
  return share === null ? none : `${(share * 100).toFixed(1)}%`;
}
