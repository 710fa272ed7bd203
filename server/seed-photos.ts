/**
 * Photos for the demo seed: the demo's orders name photos by hashes with no
 * bytes behind them (demo/ is pure), so a clerk filling a demo order into a
 * portal would find no photo on the server. Before seeding, each photo gets
 * real bytes — a small PNG in a colour drawn from its demo hash — and the
 * order's events (photo_added, the close's photos) and a field report's
 * attachments are rewritten to the new hash; the bytes are stored and
 * recorded as uploaded by the user who attached the photo, as an upload
 * from the PWA would be, so the photo is readable exactly where it would be.
 */
import { deflateSync, crc32 } from 'node:zlib';
import type { OrderEvent } from '#shared/order/events.ts';
import type { OrderIntake } from '#shared/order/intake.ts';
import { sha256Hex, type PhotoStore } from './photos/photo-store.ts';
import type { Store } from './store/store.ts';

const WIDTH = 64;
const HEIGHT = 48;

/** A WIDTH×HEIGHT PNG of one colour with a lighter band, from the first bytes of `seed` (a hex hash). */
export function demoPng(seed: string): Uint8Array {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(seed.slice(i, i + 2), 16) || 0);
  const raw = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1);
    raw[row] = 0;
    const light = y > HEIGHT / 3 && y < (2 * HEIGHT) / 3 ? 60 : 0;
    for (let x = 0; x < WIDTH; x++) {
      raw[row + 1 + x * 3] = Math.min(255, r! + light);
      raw[row + 2 + x * 3] = Math.min(255, g! + light);
      raw[row + 3 + x * 3] = Math.min(255, b! + light);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(WIDTH, 0);
  ihdr.writeUInt32BE(HEIGHT, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]),
  );
}

interface Seeded {
  readonly intake: OrderIntake;
  readonly events: readonly OrderEvent[];
}

/** The order with real photos: stored, recorded as uploaded by who attached them, and named by their real hashes. */
export async function withStoredPhotos(order: Seeded, photos: PhotoStore, store: Store, now: number): Promise<Seeded> {
  const renamed = new Map<string, { sha256: string; size: number }>();
  const real = async (demoHash: string, userId: string, at: number) => {
    let photo = renamed.get(demoHash);
    if (!photo) {
      const bytes = demoPng(demoHash);
      photo = { sha256: sha256Hex(bytes), size: bytes.length };
      renamed.set(demoHash, photo);
      const { sha256, size } = photo;
      await photos.put(sha256, bytes, (added) =>
        store.putPhoto({ sha256, size, mime: 'image/png', uploadedBy: userId, storedAt: now }, { sha256, userId, bytes: added ? size : 0, at: Math.min(at, now) }),
      );
    } else {
      await store.recordUpload({ sha256: photo.sha256, userId, bytes: 0, at: Math.min(at, now) });
    }
    return photo;
  };
  const { intake } = order;
  const attachments =
    intake.reportedBy === undefined
      ? intake.attachments
      : await Promise.all(intake.attachments.map(async (a) => ({ ...a, ...(await real(a.sha256, intake.reportedBy!, intake.receivedAt)), mime: 'image/png' as const })));
  const events: OrderEvent[] = [];
  for (const event of order.events) {
    if (event.type === 'photo_added') {
      const photo = await real(event.payload.sha256, event.actor, event.payload.takenAt);
      events.push({ ...event, payload: { ...event.payload, sha256: photo.sha256, size: photo.size, mime: 'image/png', width: WIDTH, height: HEIGHT } });
    } else if (event.type === 'close') {
      const map = (hashes: readonly string[] | undefined) => (hashes ?? []).map((h) => renamed.get(h)?.sha256 ?? h);
      const p = event.payload.photos;
      events.push({ ...event, payload: { ...event.payload, photos: { handling: map(p.handling), contact: map(p.contact), document: map(p.document) } } });
    } else {
      events.push(event);
    }
  }
  return { intake: { ...intake, attachments }, events };
}
