/**
 * The app's messages compiled at build time, so the page carries no message
 * compiler (vue-i18n's is ≈ 17 KB minified, and compiling a message on first
 * use costs time on the first screen). pwa/vite.config.ts drops the compiler
 * from vue-i18n (`__INTLIFY_DROP_MESSAGE_COMPILER__`, the runtime-only build).
 *
 * Every string of a message module (pwa/src/i18n/*.ts: plain objects of
 * strings, type-only imports) goes through vue-i18n's own compiler
 * (@intlify/message-compiler, the one the full build runs in the browser): a
 * message with placeholders, plurals or links becomes its AST, which the
 * runtime formats; a message that is plain text stays a string, which the
 * runtime returns as it is (escapes such as `{'@'}` resolved). A message that
 * does not compile fails the build.
 */
import { baseCompile, type CompileError } from '@intlify/message-compiler';
import type { Plugin } from 'vite';

/** What a message module exports: nested objects whose leaves are messages. */
type Messages = { readonly [key: string]: string | Messages };

/** A message as the runtime-only vue-i18n takes it: plain text, or the compiled AST. */
export function compileMessage(message: string, where: string): unknown {
  const errors: CompileError[] = [];
  // `minify`: the AST with one-letter keys (t: type, b: body, s: static text…), as the runtime reads it.
  const { ast } = baseCompile(message, { jit: true, location: false, minify: true, onError: (error) => errors.push(error) });
  if (errors.length > 0) throw new Error(`message ${where} does not compile (${errors.map((error) => error.message).join('; ')}): ${JSON.stringify(message)}`);
  const body = (ast as unknown as { b: { t: number; s?: string } }).b;
  // NodeTypes.Message (2) with only text: the runtime returns a string message as it is.
  return body.t === 2 && typeof body.s === 'string' ? body.s : ast;
}

/** Every message of a module's export compiled (`compileMessage`). */
export function compileMessages(value: unknown, where: string): unknown {
  if (typeof value === 'string') return compileMessage(value, where);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: a message module holds only objects of strings`);
  return Object.fromEntries(Object.entries(value as Messages).map(([key, inner]) => [key, compileMessages(inner, `${where}.${key}`)]));
}

/** Compile the message modules whose id matches `include` (after TypeScript is stripped: the module is plain JavaScript). */
export function precompileMessages(include: RegExp): Plugin {
  return {
    name: 'lianxin-precompile-messages',
    enforce: 'post',
    async transform(code, id) {
      if (!include.test(id.split('?')[0] ?? '')) return null;
      if (/^\s*import\s/m.test(code)) throw new Error(`${id}: a message module may import types only`);
      const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
      const lines = Object.entries(module).map(([name, value]) => {
        const json = JSON.stringify(compileMessages(value, name));
        return name === 'default' ? `export default ${json};` : `export const ${name} = ${json};`;
      });
      return { code: lines.join('\n'), map: null };
    },
  };
}
