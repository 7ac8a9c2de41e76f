import { rankedTopoSort } from '../../../src/plan/schema/order';

interface Item {
  key: string;
  rank: number;
  deps: string[];
}
const sort = (items: Item[]) => rankedTopoSort(items, (i) => i.key, (i) => i.rank, (i) => i.deps).map((i) => i.key);

describe('rankedTopoSort', () => {
  it('puts every item after what it depends on, whatever its kind', () => {
    const items = [
      { key: 'public.v', rank: 7, deps: ['public.group_concat(text)'] },
      { key: 'public.group_concat(text)', rank: 5, deps: ['public._group_concat(text,text)', 'public.t'] },
      { key: 'public._group_concat(text,text)', rank: 4, deps: [] },
      { key: 'public.t', rank: 6, deps: [] },
      { key: 'public.d', rank: 1, deps: ['public.c'] },
      { key: 'public.c', rank: 2, deps: [] },
    ];
    expect(sort(items)).toEqual(['public.c', 'public.d', 'public._group_concat(text,text)', 'public.t', 'public.group_concat(text)', 'public.v']);
  });

  it('breaks ties by rank, then key, and gives the same order for any input order', () => {
    const items = [
      { key: 'b', rank: 0, deps: [] },
      { key: 'a', rank: 1, deps: [] },
      { key: 'c', rank: 0, deps: ['unknown'] },
    ];
    expect(sort(items)).toEqual(['b', 'c', 'a']);
    expect(sort([...items].reverse())).toEqual(['b', 'c', 'a']);
  });

  it('breaks a cycle at its lowest item and still emits every item once', () => {
    const items = [
      { key: 'x', rank: 1, deps: ['y'] },
      { key: 'y', rank: 0, deps: ['x'] },
      { key: 'z', rank: 0, deps: ['x'] },
    ];
    expect(sort(items)).toEqual(['y', 'x', 'z']);
  });
});
