/**
 * Scripts injected on demand into the frame of the content script that asked.
 *
 * The page-world script: injected into the frame of the content script that
 * asked, and hands it the secret that content script generated. Two
 * injections into the MAIN world: the script file, then a self-contained call
 * of its installer (a `func` is serialised, so it may use only its arguments).
 */
import { browser } from 'wxt/browser';
import { RequestError, type Caller } from '../../lib/messaging.ts';
import { PAGE_WORLD_INSTALLER } from '../../lib/page-world-key.ts';

export async function installPageWorld(caller: Caller, secret: string): Promise<void> {
  if (caller.tabId === null || caller.frameId === null) throw new RequestError('forbidden', 'only a content script in a tab can ask for the page script');
  const target = { tabId: caller.tabId, frameIds: [caller.frameId] };
  await browser.scripting.executeScript({ target, world: 'MAIN', files: ['/page-world.js'] });
  await browser.scripting.executeScript({
    target,
    world: 'MAIN',
    args: [PAGE_WORLD_INSTALLER, secret],
    func: (key: string, value: string) => {
      const scope = window as unknown as Record<string, unknown>;
      const install = scope[key];
      delete scope[key];
      if (typeof install === 'function') (install as (secret: string) => void)(value);
    },
  });
}

/** The panel script (entrypoints/portal-panel.ts) into the asking content script's frame, in its isolated world. */
export async function injectPanel(caller: Caller): Promise<void> {
  if (caller.tabId === null || caller.frameId === null) throw new RequestError('forbidden', 'only a content script in a tab can ask for the panel');
  await browser.scripting.executeScript({ target: { tabId: caller.tabId, frameIds: [caller.frameId] }, files: ['/portal-panel.js'] });
}

/** The teaching script (entrypoints/portal-teach.ts) into the asking panel's frame, in its isolated world. */
export async function injectTeach(caller: Caller): Promise<void> {
  if (caller.tabId === null || caller.frameId === null) throw new RequestError('forbidden', 'only a content script in a tab can ask for teaching');
  await browser.scripting.executeScript({ target: { tabId: caller.tabId, frameIds: [caller.frameId] }, files: ['/portal-teach.js'] });
}

/** The panel's English messages (entrypoints/portal-en.ts) into the asking panel's frame, in its isolated world. */
export async function injectEnglish(caller: Caller): Promise<void> {
  if (caller.tabId === null || caller.frameId === null) throw new RequestError('forbidden', 'only a content script in a tab can ask for messages');
  await browser.scripting.executeScript({ target: { tabId: caller.tabId, frameIds: [caller.frameId] }, files: ['/portal-en.js'] });
}
