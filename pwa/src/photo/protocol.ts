/** Messages between the page and the photo worker. */

export interface ProcessRequest {
  readonly id: number;
  readonly file: Blob;
  /** Long side of the result, in px. */
  readonly maxSide: number;
  readonly thumbSide: number;
  readonly quality: number;
  /** Watermark lines, top to bottom, already in the user's language. */
  readonly watermark: readonly string[];
}

export interface ProcessedPhoto {
  readonly blob: Blob;
  readonly thumb: Blob;
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
}

export type ProcessFailure = 'not_image' | 'unreadable' | 'encode_failed';

export type ProcessReply =
  | { readonly id: number; readonly ok: true; readonly photo: ProcessedPhoto }
  | { readonly id: number; readonly ok: false; readonly reason: ProcessFailure; readonly message: string };
