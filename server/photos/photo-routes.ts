/**
 * PUT /api/photos/<sha256> — upload, idempotent: the server checks the size,
 * that the bytes are a JPEG, PNG or WebP and that they hash to the name.
 * HEAD /api/photos/<sha256> — does the server have it? (the upload queue asks
 * before counting a photo as uploaded). GET — the bytes, only for users who
 * may see an order that references the photo (or who uploaded it).
 */
import { mayOpenOrder } from '#shared/org/scope.ts';
import type { Services } from '../services.ts';
import { requireSession } from '../http/auth-routes.ts';
import { HttpError, readBody, sendJson, type Route } from '../http/http.ts';
import { log } from '../log.ts';
import { SHA256_PATTERN, sha256Hex, sniffImage } from './photo-store.ts';

const IMMUTABLE = 'private, max-age=31536000, immutable';

function shaParam(value: string | undefined): string {
  if (!value || !SHA256_PATTERN.test(value)) throw new HttpError(400, 'invalid', 'the photo name must be its lowercase hex SHA-256', { field: 'sha256' });
  return value;
}

export function photoRoutes(services: Services): Route[] {
  const { store, photos, metrics, config } = services;
  return [
    {
      method: 'PUT',
      path: '/api/photos/:sha256',
      handler: async ({ req, res, params }) => {
        const session = await requireSession(services, req);
        const sha = shaParam(params.sha256);
        const bytes = await readBody(req, config.photoMaxBytes);
        if (bytes.length === 0) throw new HttpError(400, 'empty', 'the body is empty');
        const mime = sniffImage(bytes);
        if (!mime) throw new HttpError(415, 'not_an_image', 'the bytes are not a JPEG, PNG or WebP image');
        const actual = sha256Hex(bytes);
        if (actual !== sha) throw new HttpError(422, 'hash_mismatch', `the bytes hash to ${actual}, not ${sha}`, { field: 'sha256' });
        const written = await photos.put(sha, bytes);
        const recorded = await store.putPhoto({ sha256: sha, size: bytes.length, mime, uploadedBy: session.user.id, storedAt: Date.now() });
        const created = written || recorded;
        if (created) {
          metrics.photosStored += 1;
          log.info('photo_stored', { sha256: sha, size: bytes.length, user: session.user.id });
        }
        sendJson(res, created ? 201 : 200, { sha256: sha, size: bytes.length, mime, created }, { 'X-Content-SHA256': sha });
      },
    },
    {
      method: ['GET', 'HEAD'],
      path: '/api/photos/:sha256',
      handler: async ({ req, res, params }) => {
        const session = await requireSession(services, req);
        const sha = shaParam(params.sha256);
        const row = await store.getPhoto(sha);
        if (!row || !(await photos.has(sha))) throw new HttpError(404, 'not_found', `no photo ${sha}`);
        const headers = {
          'Content-Type': row.mime,
          'Content-Length': String(row.size),
          'X-Content-SHA256': sha,
          ETag: `"${sha}"`,
          'Cache-Control': IMMUTABLE,
        };
        if (req.method === 'HEAD') {
          // Existence only: knowing the hash is already knowing the photo.
          res.writeHead(200, headers);
          res.end();
          return;
        }
        if (row.uploadedBy !== session.user.id && !(await mayView(services, session.user, sha))) {
          throw new HttpError(403, 'forbidden', 'no order you can see references this photo');
        }
        if (req.headers['if-none-match'] === `"${sha}"`) {
          res.writeHead(304, { ETag: headers.ETag, 'Cache-Control': IMMUTABLE });
          res.end();
          return;
        }
        res.writeHead(200, headers);
        photos.read(sha).on('error', () => res.destroy()).pipe(res);
      },
    },
  ];
}

async function mayView(services: Services, user: Parameters<typeof mayOpenOrder>[1], sha: string): Promise<boolean> {
  for (const orderId of await services.store.ordersForPhoto(sha)) {
    const order = await services.store.getOrder(orderId);
    if (order && mayOpenOrder(services.directory.tree, user, order).ok) return true;
  }
  return false;
}
