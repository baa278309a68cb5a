import { BlocksTable } from './blocksTable.ts';
import { el, formatBytes, formatMs, formatTime } from './dom.ts';
import type { CompareView, DetailsAction, DetailsView, HostMessage, WebviewMessage } from './protocol.ts';
import { TimelineCanvas } from './timelineCanvas.ts';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}

/** The run details page (or, given a comparison, the compare page). */
export class DetailsApp {
  private readonly root: HTMLElement;
  private readonly api: VsCodeApi;
  private readonly table = new BlocksTable((block) => this.act('openLog', { block }));
  private readonly timeline = new TimelineCanvas();
  private live = new Map<string, { cpuMs: number; rssBytes: number }>();
  private view: DetailsView | undefined;

  constructor(root: HTMLElement, api: VsCodeApi) {
    this.root = root;
    this.api = api;
  }

  start(): void {
    this.api.postMessage({ type: 'ready' });
  }

  receive(message: HostMessage): void {
    const started = performance.now();
    if (message.type === 'details') {
      this.view = message.view;
      this.renderDetails(message.view);
      requestAnimationFrame(() => {
        const ms = performance.now() - started;
        // Also on the page, where the UI tests read it in the real browser.
        document.body.dataset.renderMs = ms.toFixed(1);
        document.body.dataset.lanes = String(message.view.blocks.length);
        this.api.postMessage({ type: 'rendered', ms, lanes: message.view.blocks.length });
      });
    } else if (message.type === 'compare') {
      this.renderCompare(message.view);
      requestAnimationFrame(() => this.api.postMessage({ type: 'rendered', ms: performance.now() - started, lanes: message.view.durations.length }));
    } else {
      this.live = new Map(message.resources.map((r) => [r.block, r]));
      if (this.view !== undefined) this.renderResources(this.view);
    }
  }

  private act(action: DetailsAction, extra: { block?: string; path?: string } = {}): void {
    this.api.postMessage({ type: 'action', action, ...extra });
  }

  private button(label: string, action: DetailsAction, enabled = true): HTMLElement {
    const b = el('button', { type: 'button', 'aria-label': label }, label);
    if (!enabled) b.setAttribute('disabled', '');
    b.addEventListener('click', () => this.act(action));
    return b;
  }

  private renderDetails(v: DetailsView): void {
    const duration = v.startedAt !== null && v.finishedAt !== null ? formatMs(v.finishedAt - v.startedAt) : '–';
    const facts: [string, string][] = [
      ['Trigger', `${v.trigger}, mode ${v.mode}`], ['Created', formatTime(v.createdAt)], ['Started', formatTime(v.startedAt)], ['Finished', formatTime(v.finishedAt)], ['Duration', duration],
      ['Variables', Object.entries(v.variables).map(([k, x]) => `${k}=${String(x)}`).join(' ') || '–'], ['Host', v.host ?? '–'],
    ];
    if (v.git !== null) {
      facts.push(['Commit', `${v.git.commit.slice(0, 10)}${v.git.dirty ? ' (uncommitted changes)' : ''} on ${v.git.branch ?? '(detached)'}`]);
      if (v.git.subject !== null) facts.push(['Subject', v.git.subject]);
      if (v.git.author !== null) facts.push(['Author', v.git.author]);
      if (v.git.remote !== null) facts.push(['Remote', v.git.remote]);
    }
    const header = el('header', { class: 'header' },
      el('h1', {}, `${v.pipelineName} · run #${v.runId} · `, el('span', { class: `status status-${v.status}` }, v.statusLabel)),
      el('dl', { class: 'facts' }, ...facts.flatMap(([k, x]) => [el('dt', {}, k), el('dd', {}, x)])),
      el('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Run actions' },
        this.button('Retry', 'retry', !v.live), this.button('Replay', 'replay', !v.live), this.button('Cancel', 'cancel', v.live),
        this.button('Open Log', 'openLog'), this.button('Show in Graph', 'showInGraph'), this.button('Compare with previous', 'comparePrevious')),
    );
    this.table.show(v.blocks);
    this.timeline.show(v.blocks, v.criticalPath);
    const artifacts = el('table', { class: 'artifacts', 'aria-label': 'Artifacts' },
      el('thead', {}, el('tr', {}, ...['Block', 'Kind', 'Path', 'Size', 'sha256', 'vs previous', 'Written by'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...v.artifacts.slice(0, 2000).map((a) => {
        const link = el('a', { href: '#', 'aria-label': `Open ${a.shownPath}` }, a.shownPath);
        link.addEventListener('click', (e) => {
          e.preventDefault();
          this.act('openArtifact', { path: a.path });
        });
        return el('tr', {}, el('td', {}, a.block), el('td', {}, a.direction), el('td', {}, link), el('td', {}, formatBytes(a.size)),
          el('td', { title: a.sha256 ?? a.note ?? '' }, a.sha256?.slice(0, 12) ?? a.note ?? '–'), el('td', {}, a.changed === null ? 'new' : a.changed ? 'changed' : 'same', ...(a.reused === null ? [] : [' · ', el('span', { class: 'reused' }, a.reused)])), el('td', {}, a.lineage ?? ''));
      })),
    );
    const definition = el('section', { 'aria-label': 'Definition' }, el('h2', {}, 'Definition'),
      v.definition === null ? el('p', {}, 'Not kept for this run.') : el('div', {}, this.button('Compare with current file', 'diffDefinition'), this.definitionBox(v.definition)));
    this.root.replaceChildren(
      header,
      el('section', { 'aria-label': 'Timeline' }, el('h2', {}, 'Timeline'), el('p', { class: 'hint' }, `Critical path: ${v.criticalPath.join(' → ') || '–'}. Ctrl+wheel or +/- zooms, drag or arrows pan.`), this.timeline.element),
      el('section', { 'aria-label': 'Blocks' }, el('h2', {}, `Blocks (${v.blocks.length})`), this.table.element),
      el('section', { 'aria-label': 'Resources', id: 'resources' }),
      el('section', { 'aria-label': 'Artifacts' }, el('h2', {}, `Artifacts (${v.artifacts.length})`), v.artifacts.length === 0 ? el('p', {}, 'No declared cache inputs or outputs.') : artifacts),
      definition,
    );
    this.renderResources(v);
    this.timeline.draw();
  }

  /** Collapsed, and filled when opened: laying out a 9,000-line file would cost more than the rest of the page. */
  private definitionBox(text: string): HTMLElement {
    const pre = el('pre', { class: 'definition', tabindex: '0' });
    const lines = text.split('\n').length;
    const box = el('details', {}, el('summary', {}, `The pipeline file as it was when the run started (${lines} lines)`), pre);
    box.addEventListener('toggle', () => {
      if (box.open && pre.textContent === '') pre.textContent = text;
    });
    return box;
  }

  private renderResources(v: DetailsView): void {
    const section = this.root.querySelector('#resources');
    if (section === null) return;
    const rows = v.blocks.map((b) => {
      const live = this.live.get(b.block);
      return { block: b.block, cpuMs: live?.cpuMs ?? b.cpuMs ?? 0, rss: live?.rssBytes ?? b.peakRssBytes ?? 0 };
    }).filter((r) => r.cpuMs > 0 || r.rss > 0).sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 50);
    const maxCpu = Math.max(1, ...rows.map((r) => r.cpuMs));
    const maxRss = Math.max(1, ...rows.map((r) => r.rss));
    const bar = (value: number, max: number, label: string, kind: string): HTMLElement => {
      const fill = el('span', { class: `fill ${kind}` });
      fill.style.width = `${(value / max) * 100}%`;
      return el('div', { class: 'bar', role: 'meter', 'aria-valuenow': String(value), 'aria-valuemin': '0', 'aria-valuemax': String(max), 'aria-label': label }, fill, el('span', { class: 'bar-text' }, label));
    };
    section.replaceChildren(el('h2', {}, `Resources${this.live.size > 0 ? ' (live)' : ''}`),
      el('p', { class: 'hint' }, `Run: CPU ${formatMs(v.totals.cpuMs)}, largest block peak memory ${formatBytes(v.totals.peakRssBytes)}.`),
      v.resourcesUnmeasured ? el('p', {}, 'Not measured: resources are measured on Linux only.') :
      rows.length === 0 ? el('p', {}, 'Not measured: no block ran long enough to be sampled (the first sample comes within 100 ms).') :
        el('div', { class: 'bars' }, ...rows.flatMap((r) => [el('span', { class: 'bar-label' }, r.block), bar(r.cpuMs, maxCpu, `CPU ${formatMs(r.cpuMs)}`, 'cpu'), bar(r.rss, maxRss, `memory ${formatBytes(r.rss)}`, 'mem')])));
  }

  private renderCompare(c: CompareView): void {
    const table = el('table', { class: 'compare', 'aria-label': 'Runs compared' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, ''), ...c.heads.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...c.rows.map((r, i) => el('tr', { class: r.differs ? 'differs' : '' },
        el('th', { scope: 'row' }, i === 0 || c.rows[i - 1]?.section !== r.section ? `${r.section}: ${r.label}` : r.label), ...r.cells.map((x) => el('td', {}, x))))),
    );
    const max = Math.max(1, ...c.durations.flatMap((d) => d.ms.map((m) => m ?? 0)));
    const chart = el('div', { class: 'bars compare-bars', role: 'group', 'aria-label': 'Block durations per run' }, ...c.durations.flatMap((d) => [
      el('span', { class: 'bar-label' }, d.block),
      el('div', { class: 'bar-stack' }, ...d.ms.map((m, i) => {
        const fill = el('span', { class: `fill run${i}` });
        fill.style.width = `${((m ?? 0) / max) * 100}%`;
        return el('div', { class: 'bar', role: 'meter', 'aria-label': `${c.heads[i] ?? ''} ${formatMs(m)}`, 'aria-valuenow': String(m ?? 0), 'aria-valuemin': '0', 'aria-valuemax': String(max) }, fill, el('span', { class: 'bar-text' }, `${c.heads[i] ?? ''} ${formatMs(m)}`));
      })),
    ]));
    this.root.replaceChildren(el('h1', {}, `Compare ${c.heads.join(', ')}`), el('p', { class: 'hint' }, 'Rows marked ≠ differ between the runs; deltas are against the first run.'), table, el('h2', {}, 'Block durations'), chart);
  }
}
