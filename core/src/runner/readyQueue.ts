import { MinHeap } from '../util/minHeap.ts';

/**
 * Blocks ready to start, by file index: the earliest in the file starts first, so the start order
 * among ready blocks is deterministic. Removal (a cancelled queued block) only clears membership,
 * and pop skips what is no longer a member.
 */
export class ReadyQueue {
  private readonly heap = new MinHeap();
  private member: Uint8Array;

  constructor(size: number) {
    this.member = new Uint8Array(size);
  }

  has(index: number): boolean {
    return this.member[index] === 1;
  }

  push(index: number): void {
    // A fan-out adds items (indexes past the blocks') while the run goes.
    if (index >= this.member.length) {
      const grown = new Uint8Array(Math.max(index + 1, this.member.length * 2));
      grown.set(this.member);
      this.member = grown;
    }
    if (this.member[index] === 1) return;
    this.member[index] = 1;
    this.heap.push(index);
  }

  remove(index: number): void {
    this.member[index] = 0;
  }

  pop(): number | undefined {
    for (let top = this.heap.pop(); top !== undefined; top = this.heap.pop()) {
      if (this.member[top] === 1) {
        this.member[top] = 0;
        return top;
      }
    }
    return undefined;
  }
}
