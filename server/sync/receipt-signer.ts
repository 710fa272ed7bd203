/**
 * The server's signature on the receipts it writes into order docs. A device
 * holds the receipts of what it synced; when it sends them back to a server
 * that lost them (restored from a backup taken before), the signature is how
 * the guard tells the server's own receipts from ones a client made up —
 * receipts move deadlines, so a forged one would be a forged time.
 *
 * The key lives in the store (`server_keys`): every instance on one store
 * signs alike, and a backup restores it with the documents.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseReceipt, receiptValue } from '#shared/sync/order-doc.ts';
import type { Store } from '../store/store.ts';

const KEY_NAME = 'receipts';
/** 128 bits of HMAC-SHA256, base64url. */
const SIGNATURE_CHARS = 22;

export class ReceiptSigner {
  static async open(store: Store): Promise<ReceiptSigner> {
    return new ReceiptSigner(await store.serverKey(KEY_NAME, randomBytes(32)));
  }

  constructor(private readonly key: Uint8Array) {}

  /** The receipt of event `eventId` in doc `docName`, received at `at`. */
  sign(docName: string, eventId: string, at: number): string {
    return receiptValue(at, this.signature(docName, eventId, at));
  }

  /** Whether `value` is a receipt this server's key signed for `eventId` in `docName`. */
  verify(docName: string, eventId: string, value: unknown): boolean {
    const parsed = parseReceipt(value);
    if (parsed === null || parsed.signature === null) return false;
    const expected = Buffer.from(this.signature(docName, eventId, parsed.at));
    const given = Buffer.from(parsed.signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(docName: string, eventId: string, at: number): string {
    return createHmac('sha256', this.key).update(`${docName}\n${eventId}\n${at}`).digest('base64url').slice(0, SIGNATURE_CHARS);
  }
}
