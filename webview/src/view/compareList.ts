import type { CompareChange, CompareView, WebviewMessage } from '../protocol.ts';

const SIGN: Record<CompareChange, string> = { added: '+', removed: '−', changed: '~', unchanged: '' };

/**
 * Compare mode's bar: what the graph is compared with, the counts, and the list of changed blocks
 * (a click shows the block and opens its text diff); "Stop comparing" returns to the plain graph.
 */
export class CompareList {
  private readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;
  private readonly post: (message: WebviewMessage) => void;
  private readonly reveal: (block: string) => void;

  constructor(root: HTMLElement, before: Element | null, post: (message: WebviewMessage) => void, reveal: (block: string) => void) {
    this.post = post;
    this.reveal = reveal;
    const toolbar = root.querySelector('.toolbar') ?? root;
    const start = document.createElement('button');
    start.className = 'compare-toggle';
    start.textContent = 'Compare…';
    start.title = 'Compare the graph with an earlier version (git: HEAD, a commit or a branch)';
    start.addEventListener('click', () => post({ type: 'compare' }));
    const withRun = document.createElement('button');
    withRun.className = 'compare-run';
    withRun.textContent = 'Compare with Run…';
    withRun.title = 'Compare the graph with the definition recorded with a run of this pipeline';
    withRun.addEventListener('click', () => post({ type: 'compare', base: 'run' }));
    toolbar.append(start, withRun);
    this.element = document.createElement('div');
    this.element.className = 'compare-bar';
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', 'Changes');
    this.element.hidden = true;
    this.summary = document.createElement('span');
    this.summary.className = 'compare-summary';
    const stop = document.createElement('button');
    stop.className = 'compare-stop';
    stop.textContent = 'Stop comparing';
    stop.addEventListener('click', () => post({ type: 'compare', stop: true }));
    this.list = document.createElement('ul');
    this.list.className = 'compare-list';
    this.element.append(this.summary, stop, this.list);
    root.insertBefore(this.element, before);
  }

  show(view: CompareView | undefined): void {
    this.element.hidden = view === undefined;
    if (view === undefined) return;
    const count = (c: CompareChange): number => view.changes.filter((x) => x.change === c).length;
    const edges = view.addedEdges.length + view.removedEdges.length;
    this.summary.textContent = `Compared with ${view.label}: ${count('added')} added, ${count('removed')} removed, ${count('changed')} changed blocks; ${view.addedEdges.length} added and ${view.removedEdges.length} removed dependencies.`;
    if (view.changes.length === 0 && edges === 0) this.summary.textContent = `No change since ${view.label}.`;
    this.list.replaceChildren(
      ...view.changes.map((c) => {
        const item = document.createElement('li');
        const b = document.createElement('button');
        b.className = `compare-item cmp-${c.change}`;
        b.dataset.block = c.block;
        b.textContent = `${SIGN[c.change]} ${c.block}`;
        b.title = `${c.block} ${c.change}: show the text diff`;
        b.addEventListener('click', () => {
          this.reveal(c.block);
          this.post({ type: 'openDiff', block: c.block });
        });
        item.append(b);
        return item;
      }),
    );
  }
}
