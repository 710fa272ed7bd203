/**
 * gzip and gunzip with the platform's CompressionStream (browsers, workers,
 * Node 18+): native code, off the JS heap's hot path. Async: never await them
 * inside an IndexedDB transaction (it would commit); compress before, store after.
 */
export async function gzipBytes(data: Uint8Array | string): Promise<Uint8Array> {
  return pipeBytes(data, new CompressionStream('gzip'));
}

export async function gunzipBytes(data: Uint8Array): Promise<Uint8Array> {
  return pipeBytes(data, new DecompressionStream('gzip'));
}

async function pipeBytes(data: Uint8Array | string, through: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const stream = new Blob([body as BlobPart]).stream().pipeThrough(through);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
