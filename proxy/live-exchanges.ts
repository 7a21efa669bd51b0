/** Where an exchange sits in the list, to take it out again. */
export interface LiveLink<T> {
  item: T | undefined;
  previous: LiveLink<T> | undefined;
  next: LiveLink<T> | undefined;
}

/**
 * The exchanges under way, in a doubly linked list: added and removed in O(1), in any order, and counted.
 *
 * Not a Set, though a Set would do the same: with the exchanges in a Set that lives as long as the proxy, the
 * young-generation GC kept exchanges long over alive and promoted them to old space. At c=50 that was 3 MB
 * promoted per scavenge (a fifth of all that was allocated), scavenges of 4 to 8 ms instead of 1, a mark-compact
 * every second or so, and about a sixth of the proxy's CPU; without the Set, 0.1% promoted. The likely cause: the
 * hash tables a Set outgrows or compacts away stay in old space, still naming the exchanges they held, until the
 * next full GC, and the young-generation GC takes whatever old space names as alive. A link taken out of this
 * list is emptied, so it names nothing that is over.
 */
export class LiveExchanges<T> {
  private head: LiveLink<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(item: T): LiveLink<T> {
    const link: LiveLink<T> = { item, previous: undefined, next: this.head };
    if (this.head) this.head.previous = link;
    this.head = link;
    this.count += 1;
    return link;
  }

  /** Takes the link out; a link already out stays out. */
  remove(link: LiveLink<T>): void {
    if (link.item === undefined) return;
    if (link.previous) link.previous.next = link.next;
    else this.head = link.next;
    if (link.next) link.next.previous = link.previous;
    link.item = undefined;
    link.previous = undefined;
    link.next = undefined;
    this.count -= 1;
  }

  /** The exchanges under way now, newest first: a copy, so that the caller may remove them as it goes. */
  items(): T[] {
    const items: T[] = [];
    for (let link = this.head; link; link = link.next) if (link.item !== undefined) items.push(link.item);
    return items;
  }
}
