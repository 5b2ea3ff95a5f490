/**
 * A list that keeps only its newest entries: at most `maxEntries`, whose sizes add up to at
 * most `maxBytes`. Older entries are dropped first, and counted. `items` is one array for the
 * list's whole life (emptied and trimmed in place), so a reference to it stays current.
 *
 * @example
 * const list = new BoundedList<string>(2, 100);
 * list.push("a", 1); list.push("b", 1); list.push("c", 1);
 * list.items; // ["b", "c"]
 * list.dropped; // 1
 */
export class BoundedList<T> {
  readonly items: T[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;
  private droppedCount = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** Entries dropped (or refused, for one larger than `maxBytes`) since creation or `clear()`. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Appends entries of the given sizes, then drops the oldest until both bounds hold. */
  push(entries: readonly T[], sizeOfEach: number): void {
    for (const entry of entries) {
      // An entry that alone exceeds the budget would empty the list and still not fit.
      if (sizeOfEach > this.maxBytes) {
        this.droppedCount += 1;
        continue;
      }
      this.items.push(entry);
      this.sizes.push(sizeOfEach);
      this.bytes += sizeOfEach;
    }
    let excess = Math.max(0, this.items.length - this.maxEntries);
    let freed = 0;
    for (let index = 0; index < excess; index++) freed += this.sizes[index] ?? 0;
    while (excess < this.items.length && this.bytes - freed > this.maxBytes) {
      freed += this.sizes[excess] ?? 0;
      excess += 1;
    }
    if (excess === 0) return;
    // One splice per push: a batch of events trims the front once, not once per event.
    this.items.splice(0, excess);
    this.sizes.splice(0, excess);
    this.bytes -= freed;
    this.droppedCount += excess;
  }

  /** Empties the list and resets the dropped count. */
  clear(): void {
    this.items.length = 0;
    this.sizes.length = 0;
    this.bytes = 0;
    this.droppedCount = 0;
  }
}
