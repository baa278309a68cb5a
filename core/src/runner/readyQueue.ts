/**
 * Blocks ready to start, by file index: the earliest in the file starts first, so the start order
 * among ready blocks is deterministic. A binary heap; removal (a cancelled queued block) only
 * clears membership, and pop skips what is no longer a member.
 */
export class ReadyQueue {
  private readonly heap: number[] = [];
  private readonly member: Uint8Array;

  constructor(size: number) {
    this.member = new Uint8Array(size);
  }

  has(index: number): boolean {
    return this.member[index] === 1;
  }

  push(index: number): void {
    if (this.member[index] === 1) return;
    this.member[index] = 1;
    const a = this.heap;
    a.push(index);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] ?? 0) <= index) break;
      a[i] = a[parent] ?? 0;
      i = parent;
    }
    a[i] = index;
  }

  remove(index: number): void {
    this.member[index] = 0;
  }

  pop(): number | undefined {
    while (this.heap.length > 0) {
      const top = this.popHeap();
      if (this.member[top] === 1) {
        this.member[top] = 0;
        return top;
      }
    }
    return undefined;
  }

  private popHeap(): number {
    const a = this.heap;
    const top = a[0] ?? 0;
    const last = a.pop() ?? 0;
    if (a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let mv = last;
      if (l < a.length && (a[l] ?? 0) < mv) {
        m = l;
        mv = a[l] ?? 0;
      }
      if (r < a.length && (a[r] ?? 0) < mv) {
        m = r;
        mv = a[r] ?? 0;
      }
      if (m === i) break;
      a[i] = mv;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
