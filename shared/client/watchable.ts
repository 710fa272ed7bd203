/**
 * A value that changes over time and tells who asks, without a UI framework:
 * the PWA turns it into a Vue ref (`useWatchable`), the extension's background
 * relays it as messages.
 */
export interface Watchable<T> {
  readonly value: T;
  /** Calls `listener` on every change (not with the current value); returns the unsubscribe. */
  watch(listener: (value: T) => void): () => void;
}

export class Cell<T> implements Watchable<T> {
  private current: T;
  private readonly listeners = new Set<(value: T) => void>();

  constructor(initial: T, private readonly equals: (a: T, b: T) => boolean = Object.is) {
    this.current = initial;
  }

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    if (this.equals(this.current, value)) return;
    this.current = value;
    for (const listener of [...this.listeners]) listener(value);
  }

  watch(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Resolves with the value once `holds` is true of it: at once if it is now, else at the first change that makes it so. */
export function until<T>(watchable: Watchable<T>, holds: (value: T) => boolean): Promise<T> {
  if (holds(watchable.value)) return Promise.resolve(watchable.value);
  return new Promise((resolve) => {
    const stop = watchable.watch((value) => {
      if (!holds(value)) return;
      stop();
      resolve(value);
    });
  });
}
