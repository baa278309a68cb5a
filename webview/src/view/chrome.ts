import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { BlockCommand, RunChoice, RunHeader } from '../protocol.ts';
import { formatElapsed } from '../../../core/src/util/duration.ts';
import { isFinalStatus, statusLabel } from '../../../core/src/model/status.ts';

export interface ChromeHandlers {
  run(): void;
  dryRun(): void;
  cancel(): void;
  /** Pause (new blocks wait), pause now (running blocks are suspended too), resume: the shown run. */
  runControl(command: 'pauseRun' | 'pauseRunNow' | 'resumeRun'): void;
  fit(): void;
  toggleDirection(): void;
  search(text: string): boolean;
  /** Enter in the search field: keyboard focus moves to the found block (arrows then follow edges). */
  jumpToFound(): void;
  selectRun(runId: number): void;
  clearPlan(): void;
  blockCommand(command: BlockCommand, block: string): void;
}

type Element_ = HTMLElement & { value: string; disabled: boolean };

/** Everything around the graph: header, toolbar, banners and the node context menu. Text only. */
export class Chrome {
  readonly graphHost: HTMLElement;
  private readonly runTitle: HTMLElement;
  private readonly runProgress: HTMLElement;
  private readonly runSelect: Element_;
  private readonly errorBanner: HTMLElement;
  private readonly planBanner: HTMLElement;
  private readonly planText: HTMLElement;
  private readonly searchField: Element_;
  private readonly searchStatus: HTMLElement;
  private readonly directionButton: HTMLElement;
  private readonly cancelButton: Element_;
  private readonly pauseButton: Element_;
  private readonly pauseNowButton: Element_;
  private readonly resumeButton: Element_;
  private readonly menu: HTMLElement;
  private readonly handlers: ChromeHandlers;
  private header: RunHeader | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(root: HTMLElement, handlers: ChromeHandlers) {
    this.handlers = handlers;
    const header = add(root, 'header', 'run-header');
    header.setAttribute('role', 'status');
    this.runTitle = add(header, 'span', 'run-title');
    this.runProgress = add(header, 'span', 'run-progress');
    this.runSelect = add(header, 'vscode-single-select', 'run-select') as Element_;
    this.runSelect.setAttribute('aria-label', 'Run shown');
    this.runSelect.addEventListener('change', () => {
      const id = Number(this.runSelect.value);
      if (Number.isInteger(id) && id > 0) handlers.selectRun(id);
    });

    const bar = add(root, 'div', 'toolbar');
    bar.setAttribute('role', 'toolbar');
    button(bar, 'Run', 'Run the whole pipeline', () => handlers.run());
    button(bar, 'Dry Run', 'Show what a run would do', () => handlers.dryRun(), true);
    this.cancelButton = button(bar, 'Cancel', 'Cancel the shown run', () => handlers.cancel(), true);
    this.cancelButton.disabled = true;
    this.pauseButton = button(bar, 'Pause', 'Pause the shown run: no new block starts, running ones finish', () => handlers.runControl('pauseRun'), true);
    this.pauseNowButton = button(bar, 'Pause Now', 'Pause the shown run and suspend its running blocks', () => handlers.runControl('pauseRunNow'), true);
    this.resumeButton = button(bar, 'Resume', 'Resume the shown run', () => handlers.runControl('resumeRun'), true);
    for (const control of [this.pauseButton, this.pauseNowButton, this.resumeButton]) control.classList.add('run-control');
    button(bar, 'Fit', 'Fit the graph to the view', () => handlers.fit(), true);
    this.directionButton = button(bar, 'Top to bottom', 'Switch the layout direction', () => handlers.toggleDirection(), true);
    this.searchField = add(bar, 'vscode-textfield', 'search') as Element_;
    this.searchField.setAttribute('placeholder', 'Find block');
    this.searchField.setAttribute('aria-label', 'Find block');
    this.searchStatus = add(bar, 'span', 'search-status');
    this.searchStatus.setAttribute('aria-live', 'polite');
    this.searchField.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && this.runSearch()) handlers.jumpToFound();
    });
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'f') {
        event.preventDefault();
        this.searchField.focus();
      }
    });
    this.searchField.addEventListener('input', () => this.runSearch());

    this.errorBanner = add(root, 'div', 'banner error-banner');
    this.errorBanner.setAttribute('role', 'alert');
    this.errorBanner.hidden = true;
    this.planBanner = add(root, 'div', 'banner plan-banner');
    this.planBanner.hidden = true;
    this.planText = add(this.planBanner, 'span', 'plan-text');
    button(this.planBanner, 'Clear plan', 'Hide the dry-run plan', () => handlers.clearPlan(), true);

    this.graphHost = add(root, 'main', 'graph-host');
    this.menu = add(root, 'div', 'context-menu');
    this.menu.setAttribute('role', 'menu');
    this.menu.hidden = true;
    document.addEventListener('pointerdown', (event) => {
      if (!this.menu.contains(event.target as Node)) this.closeMenu();
    });
    this.menu.addEventListener('keydown', (event) => this.menuKey(event));
    this.showRun(undefined);
  }

  setDirection(direction: 'RIGHT' | 'DOWN'): void {
    this.directionButton.textContent = direction === 'RIGHT' ? 'Top to bottom' : 'Left to right';
  }

  setErrors(count: number): void {
    this.errorBanner.hidden = count === 0;
    this.errorBanner.textContent = `The file has ${count} error${count === 1 ? '' : 's'}; showing the last valid graph.`;
  }

  setPlan(summary: string | undefined): void {
    this.planBanner.hidden = summary === undefined;
    this.planText.textContent = summary ?? '';
  }

  showRun(header: RunHeader | undefined): void {
    this.header = header;
    this.cancelButton.disabled = header === undefined || isFinalStatus(header.status);
    // Only the controls that apply are shown: Pause and Pause Now while it runs, Resume while paused.
    this.pauseButton.hidden = header?.status !== 'running';
    this.pauseNowButton.hidden = header?.status !== 'running';
    this.resumeButton.hidden = header?.status !== 'paused';
    this.paintHeader();
    const live = header !== undefined && header.finishedAt === undefined && !isFinalStatus(header.status);
    if (live && this.ticker === undefined) this.ticker = setInterval(() => this.paintHeader(), 1000);
    if (!live && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  setRuns(runs: RunChoice[], selected: number | undefined): void {
    const options = runs.map((run) => {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', String(run.runId));
      option.textContent = run.label;
      return option;
    });
    this.runSelect.replaceChildren(...options);
    this.runSelect.hidden = runs.length === 0;
    if (selected !== undefined) this.runSelect.value = String(selected);
  }

  /** The node's menu; `extra` adds edit mode's items (rename, duplicate, …) after the run commands. */
  openMenu(block: string, x: number, y: number, extra: { label: string; id: string; run: () => void }[] = []): void {
    const items: [BlockCommand, string][] = [
      ['runBlock', 'Run Block'],
      ['runUpToBlock', 'Run Up To Here'],
      ['runFromBlock', 'Run From Here'],
      // Just this block, on an executor profile picked in the editor (pipelineStudio.runBlockOn).
      ['runBlockOn', 'Run On…'],
      ['openLog', 'Open Log'],
    ];
    this.menu.replaceChildren(
      ...items.map(([command, label]) => {
        const item = document.createElement('button');
        item.className = 'menu-item';
        item.setAttribute('role', 'menuitem');
        item.dataset.command = command;
        item.textContent = label;
        item.addEventListener('click', () => {
          this.closeMenu();
          this.handlers.blockCommand(command, block);
        });
        return item;
      }),
      ...extra.map((entry) => {
        const item = document.createElement('button');
        item.className = 'menu-item';
        item.setAttribute('role', 'menuitem');
        item.dataset.command = entry.id;
        item.textContent = entry.label;
        item.addEventListener('click', () => {
          this.closeMenu();
          entry.run();
        });
        return item;
      }),
    );
    this.menu.setAttribute('aria-label', `Block ${block}`);
    // Shown first, then placed from its measured size: it opens up or left of the pointer when it
    // would not fit below or right of it (a short panel scrolls it; see .context-menu).
    this.menu.style.left = '0px';
    this.menu.style.top = '0px';
    this.menu.hidden = false;
    const size = this.menu.getBoundingClientRect();
    this.menu.style.left = `${Math.max(0, Math.min(x, window.innerWidth - size.width))}px`;
    this.menu.style.top = `${Math.max(0, y + size.height <= window.innerHeight ? y : Math.min(y - size.height, window.innerHeight - size.height))}px`;
    (this.menu.firstElementChild as HTMLElement | null)?.focus();
  }

  closeMenu(): void {
    this.menu.hidden = true;
  }

  private menuKey(event: KeyboardEvent): void {
    const items = [...this.menu.querySelectorAll<HTMLElement>('.menu-item')];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') this.closeMenu();
    else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
    else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
    else return;
    event.preventDefault();
  }

  private runSearch(): boolean {
    const text = this.searchField.value.trim();
    if (text === '') {
      this.searchStatus.textContent = '';
      return false;
    }
    const found = this.handlers.search(text);
    this.searchStatus.textContent = found ? '' : 'No block matches';
    return found;
  }

  private paintHeader(): void {
    const run = this.header;
    if (run === undefined) {
      this.runTitle.textContent = 'No run';
      this.runProgress.textContent = '';
      return;
    }
    this.runTitle.textContent = `Run #${run.runId} · ${statusLabel(run.status)}`;
    const end = run.finishedAt ?? Date.now();
    const elapsed = run.startedAt === undefined ? '' : ` · ${formatElapsed(end - run.startedAt)}`;
    this.runProgress.textContent = `${run.done}/${run.total} blocks${elapsed}`;
  }
}

function add(parent: HTMLElement, tag: string, className: string): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  parent.append(element);
  return element;
}

function button(parent: HTMLElement, label: string, title: string, onClick: () => void, secondary = false): Element_ {
  const element = add(parent, 'vscode-button', 'tool') as Element_;
  element.textContent = label;
  element.title = title;
  if (secondary) element.setAttribute('secondary', '');
  element.addEventListener('click', onClick);
  return element;
}
