import type { BlockField, BlockFields, GraphGesture, GraphModel, WebviewMessage } from '../protocol.ts';
import type { GraphView } from './graphView.ts';
import type { Viewport } from './viewport.ts';

const PALETTE: { item: Extract<GraphGesture, { kind: 'addBlock' }>['item']; label: string }[] = [
  { item: 'shell', label: 'Shell' },
  { item: 'script', label: 'Script file' },
  { item: 'python', label: 'Python' },
  { item: 'sqlite', label: 'SQL (sqlite3)' },
  { item: 'duckdb', label: 'SQL (duckdb)' },
  { item: 'http', label: 'HTTP (curl)' },
  { item: 'approval', label: 'Approval gate' },
];

const FIELDS: { field: BlockField; label: string; multiline?: boolean; hint?: string }[] = [
  { field: 'run', label: 'Command', multiline: true, hint: 'Ctrl+Enter applies' },
  { field: 'shell', label: 'Shell', hint: 'bash, sh, zsh, pwsh, python, node' },
  { field: 'cwd', label: 'Working folder' },
  { field: 'retry', label: 'Retry (attempts)' },
  { field: 'timeout', label: 'Timeout', hint: 'e.g. 30s, 5m' },
  { field: 'if', label: 'Condition (if)' },
  { field: 'cache.inputs', label: 'Cache inputs', hint: 'comma-separated paths' },
  { field: 'cache.outputs', label: 'Cache outputs', hint: 'comma-separated paths' },
  { field: 'group', label: 'Group', hint: 'shown as one node by Groups' },
];

const CHECK_DELAY_MS = 300;

type Input = HTMLInputElement | HTMLTextAreaElement;

/**
 * Edit mode: a toggle (view mode, read-only, is the default), the palette, dragging a dependency
 * from an output port, picking an edge to delete, the node menu's edit items and the side panel of
 * the selected block's fields. Nothing here changes the graph itself: every gesture goes to the
 * host as a text edit, and the graph follows the text.
 */
export class Designer {
  editing = false;
  private readonly view: GraphView;
  private readonly viewport: Viewport;
  private readonly post: (message: WebviewMessage) => void;
  private readonly toggle: HTMLButtonElement;
  private readonly palette: HTMLElement;
  private readonly snippetList: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly panelTitle: HTMLElement;
  private readonly idInput: HTMLInputElement;
  private readonly inputs = new Map<BlockField, { input: Input; problem: HTMLElement }>();
  private fields: { block: string; values: BlockFields } | undefined;
  private pickedEdge: number | undefined;
  private pendingSelect: string | undefined;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly selectBlock: (id: string) => void;

  constructor(root: HTMLElement, graphHost: HTMLElement, view: GraphView, viewport: Viewport, post: (message: WebviewMessage) => void, selectBlock: (id: string) => void) {
    this.view = view;
    this.viewport = viewport;
    this.post = post;
    this.selectBlock = selectBlock;
    const toolbar = root.querySelector('.toolbar') ?? root;
    this.toggle = add(toolbar as HTMLElement, 'button', 'edit-toggle') as HTMLButtonElement;
    this.toggle.textContent = 'Edit';
    this.toggle.title = 'Edit mode: change the pipeline from the graph (every change is an undoable text edit)';
    this.toggle.setAttribute('aria-pressed', 'false');
    this.toggle.addEventListener('click', () => this.setEditing(!this.editing));

    this.palette = add(root, 'div', 'palette');
    this.palette.setAttribute('role', 'toolbar');
    this.palette.setAttribute('aria-label', 'Add a block');
    this.palette.hidden = true;
    add(this.palette, 'span', 'palette-title').textContent = 'Add block:';
    for (const entry of PALETTE) {
      const b = add(this.palette, 'button', 'palette-item') as HTMLButtonElement;
      b.textContent = entry.label;
      b.dataset.item = entry.item;
      b.addEventListener('click', () => this.edit({ kind: 'addBlock', item: entry.item }));
    }
    this.snippetList = add(this.palette, 'span', 'snippets');
    this.banner = add(root, 'div', 'banner edit-banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    root.insertBefore(this.palette, graphHost);
    root.insertBefore(this.banner, graphHost);

    this.panel = add(graphHost, 'aside', 'side-panel');
    this.panel.setAttribute('aria-label', 'Selected block');
    this.panel.hidden = true;
    this.panelTitle = add(this.panel, 'h2', 'panel-title');
    this.idInput = this.field('id', 'Id (rename)', false, 'Enter renames; references follow') as HTMLInputElement;
    this.idInput.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || this.fields === undefined) return;
      event.preventDefault();
      const name = this.idInput.value.trim();
      if (name !== '' && name !== this.fields.block) this.post({ type: 'rename', block: this.fields.block, newName: name });
    });
    for (const spec of FIELDS) {
      const input = this.field(spec.field, spec.label, spec.multiline === true, spec.hint);
      const problem = input.parentElement?.querySelector<HTMLElement>('.problem') ?? add(this.panel, 'div', 'problem');
      this.inputs.set(spec.field, { input, problem });
      input.addEventListener('input', () => this.scheduleCheck(spec.field));
      input.addEventListener('change', () => this.commit(spec.field));
      input.addEventListener('keydown', (event) => {
        const kev = event as KeyboardEvent;
        if (kev.key === 'Enter' && (spec.multiline !== true || kev.ctrlKey)) {
          kev.preventDefault();
          this.commit(spec.field);
        }
      });
    }

    this.installDrag();
    view.svg.addEventListener('click', (event) => {
      if (!this.editing || (event.target as Element).closest('g.node') !== null) return;
      const p = this.toWorld(event.clientX, event.clientY);
      this.pickedEdge = view.edgeAt(p.x, p.y, 8 / this.viewport.current.scale);
      view.pickEdge(this.pickedEdge);
      if (this.pickedEdge !== undefined) view.svg.focus({ preventScroll: true });
    });
    view.svg.setAttribute('tabindex', '0');
    view.svg.addEventListener('keydown', (event) => {
      if (!this.editing || (event.key !== 'Delete' && event.key !== 'Backspace') || this.pickedEdge === undefined) return;
      const [a, b] = view.graph.edges[this.pickedEdge] ?? [];
      const from = a === undefined ? undefined : view.graph.nodes[a]?.id;
      const to = b === undefined ? undefined : view.graph.nodes[b]?.id;
      event.preventDefault();
      if (from !== undefined && to !== undefined) this.edit({ kind: 'removeDependency', from, to });
      this.pickedEdge = undefined;
      view.pickEdge(undefined);
    });
  }

  setEditing(on: boolean): void {
    this.editing = on;
    this.toggle.setAttribute('aria-pressed', String(on));
    this.toggle.classList.toggle('on', on);
    this.toggle.textContent = on ? 'Editing' : 'Edit';
    this.palette.hidden = !on;
    this.view.svg.classList.toggle('editing', on);
    this.banner.hidden = true;
    if (!on) {
      this.showPanel(false);
      this.view.pickEdge(undefined);
      this.pickedEdge = undefined;
    } else {
      const selected = this.view.selectedId;
      if (selected !== undefined) this.selected(selected);
    }
  }

  /** A node was selected: the side panel shows its fields (asked from the host, which reads the text). */
  selected(id: string): void {
    if (!this.editing) return;
    this.showPanel(true);
    this.panelTitle.textContent = `Block ${id}`;
    if (this.fields?.block !== id) {
      for (const { problem } of this.inputs.values()) problem.textContent = '';
    }
    this.post({ type: 'requestFields', block: id });
  }

  /** The panel takes its width from the graph rather than covering it. */
  private showPanel(on: boolean): void {
    if (this.panel.hidden === !on) return;
    this.panel.hidden = !on;
    this.panel.parentElement?.classList.toggle('with-panel', on);
    // The view just narrowed: keep the block being edited in sight.
    const selected = this.view.selectedId;
    const box = selected === undefined ? undefined : this.view.box(selected);
    if (on && box !== undefined) this.viewport.centreOn(box.x + box.width / 2, box.y + box.height / 2);
  }

  /** Edit mode's items of the node menu. */
  menuItems(id: string): { label: string; id: string; run: () => void }[] {
    if (!this.editing) return [];
    const disabled = this.view.graph.nodes.find((n) => n.id === id)?.disabled === true;
    return [
      { label: 'Rename…', id: 'rename', run: () => this.post({ type: 'rename', block: id }) },
      { label: 'Duplicate', id: 'duplicate', run: () => this.edit({ kind: 'duplicateBlock', block: id }) },
      { label: disabled ? 'Enable' : 'Disable', id: disabled ? 'enable' : 'disable', run: () => this.edit({ kind: 'setDisabled', block: id, disabled: !disabled }) },
      { label: 'Delete Block', id: 'delete', run: () => this.edit({ kind: 'deleteBlock', block: id }) },
    ];
  }

  showFields(block: string, values: BlockFields): void {
    // Fields of a block selected earlier can arrive after another was selected: they are not this panel's.
    if (this.view.selectedId !== block) return;
    this.fields = { block, values };
    if (document.activeElement !== this.idInput) this.idInput.value = block;
    for (const [field, { input }] of this.inputs) if (document.activeElement !== input) input.value = values[field];
  }

  showProblems(block: string, field: BlockField, problems: string[]): void {
    if (this.fields?.block !== block) return;
    const entry = this.inputs.get(field);
    if (entry === undefined) return;
    entry.problem.textContent = problems.join(' ');
    entry.input.setAttribute('aria-invalid', String(problems.length > 0));
  }

  setSnippets(names: string[], pipelines: string[] = []): void {
    this.snippetList.replaceChildren(
      ...pipelines.map((path) => {
        const b = document.createElement('button');
        b.className = 'palette-item sub-pipeline';
        b.textContent = `Sub-pipeline ${path.slice(path.lastIndexOf('/') + 1).replace(/\.pipeline\.ya?ml$/, '')}`;
        b.title = `A block running ${path}`;
        b.addEventListener('click', () => {
          this.banner.hidden = true;
          this.post({ type: 'addSubPipeline', path });
        });
        return b;
      }),
      ...names.map((name) => {
        const b = document.createElement('button');
        b.className = 'palette-item snippet';
        b.textContent = name;
        b.title = `Workspace snippet ${name}`;
        b.addEventListener('click', () => {
          this.banner.hidden = true;
          this.post({ type: 'addSnippet', name });
        });
        return b;
      }),
    );
  }

  /** The host applied (or refused) a gesture. */
  result(error: string | undefined, select: string | undefined): void {
    this.banner.hidden = error === undefined;
    this.banner.textContent = error ?? '';
    if (select !== undefined) {
      this.pendingSelect = select;
      this.modelShown(this.view.graph);
    }
  }

  /** A new structure is on screen: select a block the last gesture created, its id ready to rename. */
  modelShown(model: GraphModel): void {
    if (this.fields !== undefined && !model.nodes.some((n) => n.id === this.fields?.block)) {
      // The shown block is gone from the text (deleted, renamed, undone): the panel follows.
      this.fields = undefined;
      this.showPanel(false);
    }
    const id = this.pendingSelect;
    if (id === undefined || !model.nodes.some((n) => n.id === id)) return;
    this.pendingSelect = undefined;
    this.selectBlock(id);
    this.selected(id);
    this.idInput.value = id;
    this.idInput.focus();
    this.idInput.select();
  }

  private edit(gesture: GraphGesture): void {
    this.banner.hidden = true;
    this.post({ type: 'edit', gesture });
  }

  private scheduleCheck(field: BlockField): void {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => {
      const entry = this.inputs.get(field);
      if (this.fields === undefined || entry === undefined) return;
      this.post({ type: 'checkField', block: this.fields.block, field, value: entry.input.value });
    }, CHECK_DELAY_MS);
  }

  private commit(field: BlockField): void {
    const entry = this.inputs.get(field);
    if (this.fields === undefined || entry === undefined || entry.input.value === this.fields.values[field]) return;
    this.fields.values[field] = entry.input.value;
    this.edit({ kind: 'setField', block: this.fields.block, field, value: entry.input.value });
  }

  private field(name: string, label: string, multiline: boolean, hint: string | undefined): Input {
    const row = add(this.panel, 'div', 'field');
    const id = `field-${name.replace('.', '-')}`;
    const labelEl = add(row, 'label', 'field-label') as HTMLLabelElement;
    labelEl.textContent = label;
    labelEl.htmlFor = id;
    const input = add(row, multiline ? 'textarea' : 'input', 'field-input') as Input;
    input.id = id;
    input.dataset.field = name;
    input.spellcheck = false;
    if (multiline) (input as HTMLTextAreaElement).rows = 4;
    if (hint !== undefined) input.placeholder = hint;
    const problem = add(row, 'div', 'problem');
    problem.setAttribute('role', 'alert');
    return input;
  }

  private toWorld(clientX: number, clientY: number): { x: number; y: number } {
    return this.viewport.toLayout(clientX, clientY);
  }

  /** Drag from a node's output port and drop on another node: that node then depends on the first. */
  private installDrag(): void {
    const svg = this.view.svg;
    let drag: { pointer: number; from: string; x: number; y: number } | undefined;
    svg.addEventListener('pointerdown', (event) => {
      const port = (event.target as Element).closest('.port');
      if (!this.editing || port === null || event.button !== 0) return;
      const from = port.closest('g.node')?.getAttribute('data-id');
      if (from === null || from === undefined) return;
      event.stopPropagation();
      event.preventDefault();
      const start = this.toWorld(event.clientX, event.clientY);
      drag = { pointer: event.pointerId, from, ...start };
      svg.setPointerCapture(event.pointerId);
    }, { capture: true });
    svg.addEventListener('pointermove', (event) => {
      if (drag?.pointer !== event.pointerId) return;
      const p = this.toWorld(event.clientX, event.clientY);
      this.view.dragLine.setAttribute('d', `M${drag.x},${drag.y}L${p.x},${p.y}`);
    });
    const end = (event: PointerEvent, drop: boolean): void => {
      if (drag?.pointer !== event.pointerId) return;
      const from = drag.from;
      drag = undefined;
      this.view.dragLine.setAttribute('d', '');
      if (!drop) return;
      const to = this.view.idAt(event.clientX, event.clientY);
      if (to !== undefined) this.edit({ kind: 'addDependency', from, to });
    };
    svg.addEventListener('pointerup', (event) => end(event, true));
    svg.addEventListener('pointercancel', (event) => end(event, false));
  }
}

function add(parent: HTMLElement, tag: string, className: string): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  parent.append(element);
  return element;
}
