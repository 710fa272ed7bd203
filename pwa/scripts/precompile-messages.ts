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
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { baseCompile, type CompileError } from '@intlify/message-compiler';
import { transformWithOxc, type Plugin } from 'vite';
import { FIRST_SCREEN_NAMESPACES } from '../src/i18n/first-screen.ts';

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

/** The first screen's namespaces of a language's messages (`FIRST_SCREEN_NAMESPACES`), or the rest. */
export function messagesPart<T extends object>(messages: T, part: 'first' | 'rest'): Partial<T> {
  const first = new Set<string>(FIRST_SCREEN_NAMESPACES);
  return Object.fromEntries(Object.entries(messages).filter(([key]) => first.has(key) === (part === 'first'))) as Partial<T>;
}

/** The module of the split language's messages after the first screen's (`messagesPart(…, 'rest')`), compiled: a chunk of its own. */
export const REST_MESSAGES_ID = 'virtual:lianxin-rest-messages';

/** A message module's exports, from its JavaScript (a message module imports types only). */
async function evaluate(code: string, id: string): Promise<Record<string, unknown>> {
  if (/^\s*import\s/m.test(code)) throw new Error(`${id}: a message module may import types only`);
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<string, unknown>;
}

/**
 * Compile the message modules whose id matches `include` (after TypeScript is
 * stripped: the module is plain JavaScript). The default export of `split`
 * (the language in the entry, zh-CN.ts) keeps only the first screen's
 * namespaces; `REST_MESSAGES_ID` is the rest of it.
 */
export function precompileMessages(include: RegExp, split: string): Plugin {
  const splitPath = resolve(split);
  return {
    name: 'lianxin-precompile-messages',
    enforce: 'post',
    resolveId: (id) => (id === REST_MESSAGES_ID ? `\0${REST_MESSAGES_ID}` : null),
    async load(id) {
      if (id !== `\0${REST_MESSAGES_ID}`) return null;
      this.addWatchFile(splitPath);
      const { code } = await transformWithOxc(await readFile(splitPath, 'utf8'), splitPath, { lang: 'ts' });
      const module = await evaluate(code, splitPath);
      return `export default ${JSON.stringify(compileMessages(messagesPart(module.default as object, 'rest'), 'default'))};`;
    },
    async transform(code, id) {
      const path = id.split('?')[0] ?? '';
      if (!include.test(path)) return null;
      const module = await evaluate(code, id);
      const lines = Object.entries(module).map(([name, value]) => {
        const messages = name === 'default' && resolve(path) === splitPath ? messagesPart(value as object, 'first') : value;
        const json = JSON.stringify(compileMessages(messages, name));
        return name === 'default' ? `export default ${json};` : `export const ${name} = ${json};`;
      });
      return { code: lines.join('\n'), map: null };
    },
  };
}
