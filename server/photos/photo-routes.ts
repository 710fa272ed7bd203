/**
 * PUT /api/photos/<sha256> — upload, idempotent: the server checks the size,
 * that the bytes are a JPEG, PNG or WebP and that they hash to the name, and
 * that the uploader has room left in their daily photo quota.
 * GET and HEAD /api/photos/<sha256> — the bytes, or whether the server has
 * them, under one rule: for the photo's uploaders, for admins, and for users
 * who may see an order that one of its uploaders attached it to. Naming a
 * hash in an order (a `photo_added`, an attachment) shows the photo to no
 * one unless the one who named it uploaded it; everyone else gets the same
 * 404 as for a photo the server does not have.
 */
import { mayOpenOrder } from '#shared/org/scope.ts';
import type { AuthUser } from '../auth/sessions.ts';
import type { Services } from '../services.ts';
import { requireSession } from '../http/auth-routes.ts';
import { HttpError, readBody, sendJson, type Route } from '../http/http.ts';
import { KeyedLock } from '../sync/keyed-lock.ts';
import { log } from '../log.ts';
import { SHA256_PATTERN, sha256Hex, sniffImage } from './photo-store.ts';

const IMMUTABLE = 'private, max-age=31536000, immutable';
const DAY_MS = 24 * 60 * 60 * 1000;

function shaParam(value: string | undefined): string {
  if (!value || !SHA256_PATTERN.test(value)) throw new HttpError(400, 'invalid', 'the photo name must be its lowercase hex SHA-256', { field: 'sha256' });
  return value;
}

const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`);

export function photoRoutes(services: Services): Route[] {
  const { store, photos, metrics, config } = services;
  // The quota check is one at a time per user, and counts the user's uploads still being stored (`reserved`, by
  // photo), so two at once cannot both pass the quota; the storing itself (file fsyncs, rows' commit) is not under
  // the lock, so a device's two photos in flight overlap their fsyncs (docs/SERVER.md, "Photos"). A reserved photo
  // is counted from `reserved` only, never also from the store: its row may be committed (or, in SQLite, visible
  // before its commit) while it is still reserved, and counting it twice refused a photo the quota had room for.
  const checking = new KeyedLock();
  const reserved = new Map<string, Map<string, number>>();
  const unreserve = (user: string, sha: string) => {
    const mine = reserved.get(user);
    mine?.delete(sha);
    if (mine?.size === 0) reserved.delete(user);
  };
  return [
    {
      method: 'PUT',
      path: '/api/photos/:sha256',
      handler: async ({ req, res, params }) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        const session = await requireSession(services, req);
        const sha = shaParam(params.sha256);
        const bytes = await readBody(req, config.photoMaxBytes);
        if (bytes.length === 0) throw new HttpError(400, 'empty', 'the body is empty');
        const mime = sniffImage(bytes);
        if (!mime) throw new HttpError(415, 'not_an_image', 'the bytes are not a JPEG, PNG or WebP image');
        const actual = sha256Hex(bytes);
        if (actual !== sha) throw new HttpError(422, 'hash_mismatch', `the bytes hash to ${actual}, not ${sha}`, { field: 'sha256' });
        const user = session.user.id;
        const now = Date.now();
        let held = false;
        const release = await checking.acquire(user);
        try {
          const present = (await store.getPhoto(sha)) !== null && (await photos.has(sha));
          if (!present) {
            // A photo already stored costs nothing; a new one counts against the uploader's last 24 hours.
            const mine = reserved.get(user) ?? new Map<string, number>();
            const used = await store.photoBytesSince(user, now - DAY_MS, [...mine.keys()]);
            let pending = 0;
            for (const size of mine.values()) pending += size;
            // The same photo sent again while its first upload is being stored adds nothing.
            const adding = mine.has(sha) ? 0 : bytes.length;
            if (used.bytes + pending + adding > config.photoQuotaPerDayBytes) {
              const retryAfter = Math.max(1, Math.ceil(((used.oldestAt ?? now) + DAY_MS - now) / 1000));
              log.warn('photo_quota_exceeded', { user, sha256: sha, size: bytes.length, used: used.bytes, pending, quota: config.photoQuotaPerDayBytes });
              throw new HttpError(
                429,
                'photo_quota_exceeded',
                `you stored ${megabytes(used.bytes + pending)} of photos in the last 24 hours; this one (${megabytes(bytes.length)}) would pass your ${megabytes(config.photoQuotaPerDayBytes)} a day — try again later`,
                { headers: { 'Retry-After': String(retryAfter) } },
              );
            }
            if (adding > 0) {
              reserved.set(user, mine.set(sha, adding));
              held = true;
            }
          }
        } finally {
          release();
        }
        try {
          // The rows commit while the file's folder is fsynced; the reply waits for both.
          const created = await photos.put(sha, bytes, async (written) => {
            const recorded = await store.putPhoto(
              { sha256: sha, size: bytes.length, mime, uploadedBy: user, storedAt: now },
              { sha256: sha, userId: user, bytes: written ? bytes.length : 0, at: now },
            );
            return written || recorded;
          });
          if (created) {
            metrics.photosStored += 1;
            log.info('photo_stored', { sha256: sha, size: bytes.length, user });
          }
          sendJson(res, created ? 201 : 200, { sha256: sha, size: bytes.length, mime, created }, { 'X-Content-SHA256': sha });
        } finally {
          // Stored (now in the user's uploads, counted by photoBytesSince) or failed: no longer pending either way.
          if (held) unreserve(user, sha);
        }
      },
    },
    {
      method: ['GET', 'HEAD'],
      path: '/api/photos/:sha256',
      handler: async ({ req, res, params }) => {
        res.setHeader('X-Content-Type-Options', 'nosniff');
        const session = await requireSession(services, req);
        const sha = shaParam(params.sha256);
        const row = await store.getPhoto(sha);
        // One answer for "not here" and "not yours": a hash is no way to learn that a photo exists.
        if (!row || !(await photos.has(sha)) || !(await mayRead(services, session.user, sha))) {
          throw new HttpError(404, 'not_found', 'no photo you may see under this hash');
        }
        const headers = {
          'Content-Type': row.mime,
          'Content-Length': String(row.size),
          'X-Content-SHA256': sha,
          ETag: `"${sha}"`,
          'Cache-Control': IMMUTABLE,
        };
        if (req.method === 'HEAD') {
          res.writeHead(200, headers);
          res.end();
          return;
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

/** An admin, an uploader of the photo, or someone who may see an order an uploader attached it to. */
async function mayRead(services: Services, user: AuthUser, sha: string): Promise<boolean> {
  if (user.role === 'admin') return true;
  if (await services.store.isPhotoUploader(sha, user.id)) return true;
  for (const orderId of await services.store.ordersForPhoto(sha)) {
    const order = await services.store.getOrder(orderId);
    if (order && mayOpenOrder(services.directory.tree, user, order).ok) return true;
  }
  return false;
}
