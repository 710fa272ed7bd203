/**
 * Values a store instance read from a database shared with other instances,
 * kept with what this instance wrote since, until they are `freshMs` old: the
 * next read then sees what the others wrote meanwhile. For the counts a
 * statement per event read again (a doc's log sizes, `LogSizes`; a user's
 * writes of the last day, `UsageSums`), whose exact value may lag other
 * instances' writes by that long. Bounded: the keys least recently read are
 * forgotten first.
 */
export class FreshReads<V> {
  private readonly values = new Map<string, { value: V; readonly readAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly freshMs: number,
    private readonly maxKeys: number,
  ) {}

  /** The value to go by without reading it; undefined when it must be read. */
  known(key: string): V | undefined {
    const known = this.values.get(key);
    if (!known) return undefined;
    if (this.now() - known.readAt >= this.freshMs) {
      this.values.delete(key);
      return undefined;
    }
    return known.value;
  }

  /** The value just read from the database. */
  read(key: string, value: V): void {
    this.values.delete(key);
    this.values.set(key, { value, readAt: this.now() });
    for (const oldest of this.values.keys()) {
      if (this.values.size <= this.maxKeys) break;
      this.values.delete(oldest);
    }
  }

  /** This instance wrote: the value read, changed by `change`; nothing when none is known. */
  wrote(key: string, change: (value: V) => V): void {
    const known = this.values.get(key);
    if (known) known.value = change(known.value);
  }

  /** Read it next time. */
  forget(key: string): void {
    this.values.delete(key);
  }
}
