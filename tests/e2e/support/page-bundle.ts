/**
 * A test's entry module bundled by esbuild into one classic script for a page (the portal engine, the device
 * database's upgrade): what the tests inject or serve where the app's own build is not the thing under test.
 */
import { build } from 'esbuild';

export async function pageBundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}
