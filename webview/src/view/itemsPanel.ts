import { progressText } from '../../../core/src/model/fanOutProgress.ts';
import { ITEM_PAGE, type BlockState, type HostMessage, type WebviewMessage } from '../protocol.ts';
import { statusColor, statusGlyph, statusWord } from './statusStyle.ts';

type ItemsMessage = Extract<HostMessage, { type: 'items' }>;

/**
 * A fan-out node expanded: its items under the graph, a page at a time (100 rows, "Show more" for
 * the next), each with its status; 10,000 items cost the webview only the pages asked for.
 */
export class ItemsPanel {
  private readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLButtonElement;
  private readonly post: (message: WebviewMessage) => void;
  private block: string | undefined;
  private loaded = 0;
  private total = 0;

  constructor(root: HTMLElement, before: Element | null, post: (message: WebviewMessage) => void) {
    this.post = post;
    this.element = document.createElement('div');
    this.element.className = 'items-panel';
    this.element.setAttribute('role', 'region');
    this.element.hidden = true;
    const bar = document.createElement('div');
    bar.className = 'items-bar';
    this.heading = document.createElement('span');
    this.heading.className = 'items-heading';
    const close = document.createElement('button');
    close.className = 'items-close';
    close.textContent = 'Close';
    close.title = 'Collapse the item list';
    close.addEventListener('click', () => this.close());
    bar.append(this.heading, close);
    this.list = document.createElement('ol');
    this.list.className = 'items-list';
    this.list.setAttribute('aria-label', 'Items');
    this.more = document.createElement('button');
    this.more.className = 'items-more';
    this.more.textContent = 'Show more';
    this.more.addEventListener('click', () => this.request(this.loaded, ITEM_PAGE));
    this.element.append(bar, this.list, this.more);
    root.insertBefore(this.element, before);
  }

  get openBlock(): string | undefined {
    return this.block;
  }

  /** Expands a fan-out node (or collapses it when it is the one shown). */
  toggle(block: string, state: BlockState | undefined): void {
    if (this.block === block) {
      this.close();
      return;
    }
    this.block = block;
    this.loaded = 0;
    this.list.replaceChildren();
    this.element.hidden = false;
    this.element.setAttribute('aria-label', `Items of ${block}`);
    this.showHeading(state);
    this.request(0, ITEM_PAGE);
  }

  /** The block's state changed: its counts, and the rows shown, are read again. */
  stateChanged(block: string, state: BlockState): void {
    if (block !== this.block) return;
    this.showHeading(state);
    this.request(0, Math.max(this.loaded, ITEM_PAGE));
  }

  show(message: ItemsMessage): void {
    if (message.block !== this.block) return;
    this.total = message.total;
    const rows = message.items.map((item) => {
      const row = document.createElement('li');
      row.className = `item s-${item.status}`;
      row.dataset.index = String(item.index);
      row.style.setProperty('--status', statusColor(item.status));
      const glyph = document.createElement('span');
      glyph.className = 'item-glyph';
      glyph.textContent = statusGlyph(item.status);
      glyph.setAttribute('aria-hidden', 'true');
      const text = document.createElement('span');
      text.className = 'item-text';
      text.textContent = `${message.block}[${item.index}] ${item.value}`;
      const why = document.createElement('span');
      why.className = 'item-reason';
      why.textContent = item.reason ?? statusWord(item.status);
      row.setAttribute('aria-label', `Item ${item.index}, ${item.value}: ${statusWord(item.status)}${item.reason === undefined ? '' : `, ${item.reason}`}`);
      row.append(glyph, text, why);
      return row;
    });
    // A page replaces the rows at its offset; a first page (a refresh) replaces them all.
    const kept = message.offset === 0 ? [] : [...this.list.children].slice(0, message.offset);
    this.list.replaceChildren(...kept, ...rows);
    this.loaded = this.list.children.length;
    this.more.hidden = this.loaded >= this.total;
    this.more.textContent = `Show more (${this.loaded} of ${this.total})`;
  }

  close(): void {
    this.block = undefined;
    this.element.hidden = true;
    this.list.replaceChildren();
  }

  private showHeading(state: BlockState | undefined): void {
    const items = state?.items;
    this.heading.textContent = `${this.block ?? ''}: ${items === undefined ? 'items' : `${items.total} items, ${progressText(items)}`}`;
  }

  private request(offset: number, limit: number): void {
    if (this.block !== undefined) this.post({ type: 'requestItems', block: this.block, offset, limit: Math.min(limit, 1000) });
  }
}
