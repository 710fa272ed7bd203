/**
 * A position as a place: how far from where the matter was reported, with the
 * fix's accuracy, rather than coordinates (which are shown only on request).
 */
import { distanceMetres } from '../duplicates/detect.ts';
import type { Location, Position } from './values.ts';

export type Place =
  | { readonly kind: 'near'; readonly metres: number; readonly accuracy: number }
  | { readonly kind: 'fix'; readonly accuracy: number }
  | { readonly kind: 'none'; readonly reason: Extract<Location, { kind: 'none' }>['reason'] };

/** Distances read as people say them: to 10 m below a kilometre, else to 100 m. */
export function roundMetres(metres: number): number {
  return metres < 1000 ? Math.round(metres / 10) * 10 : Math.round(metres / 100) * 100;
}

/** `location` described against `origin` (the order's reported position), when known. */
export function placeOf(location: Location, origin: Location | null | undefined): Place {
  if (location.kind === 'none') return { kind: 'none', reason: location.reason };
  const accuracy = Math.round(location.position.accuracy);
  if (origin?.kind !== 'fix') return { kind: 'fix', accuracy };
  return { kind: 'near', metres: roundMetres(distanceMetres(location.position, origin.position)), accuracy };
}

/** A `geo:` link for the phone's map app: the OS opens it; nothing is sent anywhere by the app. */
export function geoLink(address: string, position: Position | null): string {
  const q = encodeURIComponent(address.trim());
  if (position) return `geo:${position.lat.toFixed(6)},${position.lng.toFixed(6)}?q=${position.lat.toFixed(6)},${position.lng.toFixed(6)}(${q})`;
  return `geo:0,0?q=${q}`;
}
