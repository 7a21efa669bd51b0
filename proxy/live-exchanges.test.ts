import { describe, expect, it } from 'vitest';
import { LiveExchanges } from './live-exchanges.ts';

describe('the exchanges under way', () => {
  it('counts and lists what was added and not yet removed, whatever the order of removal', () => {
    const live = new LiveExchanges<string>();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((item) => live.add(item));
    expect(live.size).toBe(4);
    if (!a || !b || !c || !d) throw new Error('four links');
    live.remove(c);
    expect(live.items()).toEqual(['d', 'b', 'a']);
    live.remove(d);
    live.remove(a);
    expect(live.items()).toEqual(['b']);
    expect(live.size).toBe(1);
    live.remove(b);
    expect(live.items()).toEqual([]);
    expect(live.size).toBe(0);
  });

  it('takes a link out once: removing it again changes nothing', () => {
    const live = new LiveExchanges<number>();
    const first = live.add(1);
    live.add(2);
    live.remove(first);
    live.remove(first);
    expect(live.size).toBe(1);
    expect(live.items()).toEqual([2]);
  });

  it('keeps nothing in a link once it is out, so that an exchange over is not kept alive by its neighbours', () => {
    const live = new LiveExchanges<object>();
    live.add({});
    const middle = live.add({});
    live.add({});
    live.remove(middle);
    expect(middle).toEqual({ item: undefined, previous: undefined, next: undefined });
  });

  it('lists a copy: the caller may remove each exchange as it goes', () => {
    const live = new LiveExchanges<number>();
    const links = [1, 2, 3].map((item) => live.add(item));
    for (const item of live.items()) {
      const link = links[item - 1];
      if (link) live.remove(link);
    }
    expect(live.size).toBe(0);
  });
});
