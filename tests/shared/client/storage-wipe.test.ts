import { describe, expect, it } from 'vitest';
import { markerFor, parseMarker, wipeVerdict } from '#shared/client/storage-wipe.ts';

const user = { id: 'u-7', name: '王网格' };
const marker = markerFor(user, { records: 3, photos: 2 }, 1_700_000_000_000);

describe('storage wipe marker and verdict', () => {
  it('reads back the marker it wrote', () => {
    expect(parseMarker(JSON.stringify(marker))).toEqual({ userId: 'u-7', userName: '王网格', records: 3, photos: 2, at: 1_700_000_000_000 });
  });

  it('treats a missing or malformed marker as none', () => {
    expect(parseMarker(null)).toBeNull();
    expect(parseMarker('')).toBeNull();
    expect(parseMarker('{not json')).toBeNull();
    expect(parseMarker('null')).toBeNull();
    expect(parseMarker(JSON.stringify({ ...marker, records: -1 }))).toBeNull();
    expect(parseMarker(JSON.stringify({ ...marker, photos: '2' }))).toBeNull();
    expect(parseMarker(JSON.stringify({ ...marker, userId: undefined }))).toBeNull();
  });

  it('says the data was wiped, with the counts of the marker, when the database opened without a session', () => {
    expect(wipeVerdict(marker, 'no_session')).toEqual({ kind: 'wiped', userName: '王网格', records: 3, photos: 2 });
    expect(wipeVerdict(markerFor(user, { records: 0, photos: 0 }, 1), 'no_session')).toEqual({ kind: 'wiped', userName: '王网格', records: 0, photos: 0 });
  });

  it('says nothing when the session is intact, when there is no marker (a clean sign-out), or when the database could not be read', () => {
    expect(wipeVerdict(marker, 'session')).toEqual({ kind: 'none' });
    expect(wipeVerdict(null, 'no_session')).toEqual({ kind: 'none' });
    expect(wipeVerdict(null, 'session')).toEqual({ kind: 'none' });
    // A full disk can refuse to open the database while its data is still there.
    expect(wipeVerdict(marker, 'unreadable')).toEqual({ kind: 'none' });
  });
});
