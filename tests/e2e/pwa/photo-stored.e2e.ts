/**
 * What the photo worker stores is what a portal will be sent as it is: a
 * complete baseline (sequential) JPEG, scaled by area averaging to a long side
 * of 1920 px, its pixels those of the picture taken (a flat colour stays that
 * colour: the area average neither shifts nor rings), with its thumbnail.
 * Demo mode, offline.
 */
import { describe, expect, it } from 'vitest';
import { InboxScreen, LoginScreen, OrderScreen, launchPhone, storedRows } from './fixtures.ts';
import { sharedPreview } from './preview.ts';

/** The markers of a JPEG, and its frame's size, read from its bytes. */
function jpegFrames(bytes: Buffer): { markers: number[]; width: number; height: number; ends: boolean } {
  const markers: number[] = [];
  let width = 0;
  let height = 0;
  expect(bytes.readUInt16BE(0)).toBe(0xffd8);
  let at = 2;
  while (at < bytes.length) {
    expect(bytes[at]).toBe(0xff);
    const marker = bytes[at + 1]!;
    markers.push(marker);
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      height = bytes.readUInt16BE(at + 5);
      width = bytes.readUInt16BE(at + 7);
    }
    if (marker === 0xda) break; // the scan: entropy-coded data follows up to the end
    at += 2 + length;
  }
  return { markers, width, height, ends: bytes.readUInt16BE(bytes.length - 2) === 0xffd9 };
}

describe('the stored photo', () => {
  const preview = sharedPreview();

  it('is a baseline JPEG of 1920 × 1440 from a 4000 × 3000 photo, true to its colours, with a thumbnail', async () => {
    const phone = await launchPhone();
    try {
      const { page, context } = phone;
      await new LoginScreen(page).demoReadyOffline(preview.url);
      await context.setOffline(true);
      const orderId = await new InboxScreen(page).findOrder(preview.url, '处理中', 'photo_added');
      const order = new OrderScreen(page);
      await order.open(preview.url, orderId);
      // A flat grey-green picture with one white square well above the watermark band.
      const base64 = await page.evaluate(async () => {
        const canvas = new OffscreenCanvas(4000, 3000);
        const g = canvas.getContext('2d')!;
        g.fillStyle = 'rgb(90, 140, 110)';
        g.fillRect(0, 0, 4000, 3000);
        g.fillStyle = '#fff';
        g.fillRect(1000, 500, 1000, 1000);
        const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 })).arrayBuffer());
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        return btoa(text);
      });
      expect(await order.addPhotos([{ name: 'flat.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') }])).toEqual([]);

      const { rows } = await storedRows<{ sha256: string; width: number; height: number; mime: string }>(page, 'photos');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ width: 1920, height: 1440, mime: 'image/jpeg' });
      const stored = await page.evaluate(async (sha) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('lianxin');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const row = await new Promise<{ blob: Blob; thumb: Blob }>((resolve, reject) => {
          const get = db.transaction('photos').objectStore('photos').get(sha);
          get.onsuccess = () => resolve(get.result as { blob: Blob; thumb: Blob });
          get.onerror = () => reject(get.error);
        });
        db.close();
        const bitmap = await createImageBitmap(row.blob);
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const g = canvas.getContext('2d')!;
        g.drawImage(bitmap, 0, 0);
        const pixel = (x: number, y: number) => [...g.getImageData(x, y, 1, 1).data.slice(0, 3)];
        const thumb = await createImageBitmap(row.thumb);
        const bytes = new Uint8Array(await row.blob.arrayBuffer());
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        // The flat field far from the square and the band, the square's middle.
        return { base64: btoa(text), field: pixel(1500, 900), square: pixel(720, 480), decoded: [bitmap.width, bitmap.height], thumb: [thumb.width, thumb.height] };
      }, rows[0]!.sha256);
      const frames = jpegFrames(Buffer.from(stored.base64, 'base64'));
      expect(frames.ends).toBe(true);
      // SOF0 (baseline DCT), never progressive (SOF2) or anything rarer.
      expect(frames.markers.filter((m) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc)).toEqual([0xc0]);
      expect([frames.width, frames.height]).toEqual([1920, 1440]);
      expect(stored.decoded).toEqual([1920, 1440]);
      expect(stored.thumb).toEqual([320, 240]);
      for (const [got, want] of [
        [stored.field, [90, 140, 110]],
        [stored.square, [255, 255, 255]],
      ] as const) {
        for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThanOrEqual(4);
      }
    } finally {
      await phone.close();
    }
  });
});
