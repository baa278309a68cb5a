import type { GraphLayout } from '../../../webview/src/protocol.ts';
import { parseLayout } from './messageValidation.ts';

/** Where the cache keeps its entries (a VS Code Memento in the extension). */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'pipelineStudio.graph.layouts';
const ENTRIES = 6;

/**
 * Final layouts by structure hash, most recent first, kept in the workspace state: reopening an
 * unchanged pipeline (even after a restart) paints its layout at once, without elkjs.
 */
export class LayoutCache {
  private readonly store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.store = store;
  }

  get(hash: string): GraphLayout | undefined {
    // Only the matching entry is checked: checking every cached layout's numbers would cost more
    // than painting from it.
    const raw = this.store.get(KEY);
    const entry: unknown = Array.isArray(raw) ? raw.find((l) => typeof l === 'object' && l !== null && (l as { hash?: unknown }).hash === hash) : undefined;
    return parseLayout(entry);
  }

  put(layout: GraphLayout): void {
    const entries = [layout, ...this.entries().filter((l) => l.hash !== layout.hash)].slice(0, ENTRIES);
    void this.store.update(KEY, entries);
  }

  private entries(): GraphLayout[] {
    const raw = this.store.get(KEY);
    if (!Array.isArray(raw)) return [];
    return raw.map(parseLayout).filter((l): l is GraphLayout => l !== undefined);
  }
}
