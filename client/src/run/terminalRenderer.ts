import type { BlockStatus, RunStatus } from '../../../core/src/store/types.ts';
import type { BlockSummary, LogChunkEvent, RunEvent } from '../../../core/src/runner/events.ts';
import { formatDuration } from '../../../core/src/util/duration.ts';
import { statusStyle } from '../../../core/src/model/status.ts';

/** SGR colours that read on dark and light themes; red is left for failures. */
const BLOCK_COLOURS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const MAX_PREFIX = 24;

/**
 * Turns a run's events into terminal text: block output live, each line prefixed with its block id
 * in the block's colour (unprefixed when the run has a single block), status lines, and a summary
 * at the end. Output is written as it arrives, without waiting for line ends, so progress output
 * shows live; when another block interleaves, the open line is ended first so that no line ever
 * mixes two blocks. Terminal text uses CRLF, as a pseudoterminal needs.
 */
export class TerminalRenderer {
  private readonly colours: boolean;
  private readonly colourOf = new Map<string, number>();
  private width = 0;
  private single = false;
  /** The block whose line is open (printed without its line end yet). */
  private openLine: string | undefined;
  private title = '';

  constructor(options: { colours?: boolean } = {}) {
    this.colours = options.colours ?? true;
  }

  render(event: RunEvent): string {
    switch (event.type) {
      case 'run-started': {
        const selected = event.blocks.filter((b) => b.status !== 'skipped');
        this.single = selected.length === 1;
        event.blocks.forEach((b, i) => this.colourOf.set(b.id, BLOCK_COLOURS[i % BLOCK_COLOURS.length] ?? 36));
        this.width = Math.min(MAX_PREFIX, Math.max(0, ...selected.map((b) => b.id.length)));
        this.title = `${event.pipelineName} #${event.runId}`;
        const what = this.single ? `block ${selected[0]?.id ?? ''}` : `${selected.length} of ${event.blocks.length} blocks, up to ${event.concurrency} at once`;
        return this.dim(`Run ${this.title} (${what})`) + '\r\n';
      }
      case 'log-chunk':
        return this.chunk(event);
      case 'block-attempt':
        if (this.single && event.attempt === 1) return '';
        return this.statusLine(event.block, `▶ started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
      case 'block-status': {
        if (event.status === 'initial' || event.status === 'queued') return '';
        if (event.status === 'running') return event.reason === undefined ? '' : this.statusLine(event.block, `… ${event.reason}`);
        const why = event.reason !== undefined && event.status !== 'completed' ? ` (${event.reason})` : '';
        const code = event.status === 'failed' && event.exitCode !== undefined && event.reason === undefined ? ` (exit code ${event.exitCode})` : '';
        return this.statusLine(event.block, `${statusMark(event.status)} ${event.status}${why}${code}`, event.status);
      }
      case 'run-status':
        return this.endLine() + this.dim(`Run ${this.title} ${event.status === 'paused' ? (event.reason ?? 'paused') : 'resumed'}`) + '\r\n';
      case 'run-finished':
        return this.endLine() + this.summary(event.runId, event.status, event.error, event.blocks);
      case 'fanout-progress':
        // Each item's own lines say as much; the graph shows the count.
        return '';
    }
  }

  private chunk(event: LogChunkEvent): string {
    if (event.text === '') return '';
    let out = '';
    if (this.openLine !== undefined && this.openLine !== event.block) out += this.endLine();
    const prefix = this.prefix(event.block);
    const text = event.stream === 'system' ? this.dim(event.text) : event.text;
    // Split on line ends and on lone carriage returns (progress bars redraw their line), keeping them.
    const pieces = text.split(/(\r\n|\n|\r)/);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? '';
      if (i % 2 === 1) {
        out += piece === '\r' ? '\r' : `${this.reset()}\r\n`;
        this.openLine = piece === '\r' ? event.block : undefined;
        if (piece === '\r') out += prefix;
        continue;
      }
      if (piece === '') continue;
      if (this.openLine === undefined) out += prefix;
      out += piece;
      this.openLine = event.block;
    }
    return out;
  }

  private statusLine(block: string, text: string, status?: BlockStatus): string {
    const colour = status === 'failed' || status === 'upstream_failed' ? 31 : undefined;
    const body = colour !== undefined && this.colours ? `\x1b[${colour}m${text}${RESET}` : this.dim(text);
    return `${this.endLine()}${this.single ? '' : this.prefix(block)}${body}\r\n`;
  }

  private endLine(): string {
    if (this.openLine === undefined) return '';
    this.openLine = undefined;
    return `${this.reset()}\r\n`;
  }

  /** Ends a line of block output: a block that set a colour must not tint the next prefix. */
  private reset(): string {
    return this.colours ? RESET : '';
  }

  private prefix(block: string): string {
    if (this.single) return '';
    const id = block.length > this.width ? `${block.slice(0, this.width - 1)}…` : block.padEnd(this.width);
    return this.colours ? `\x1b[${this.colourOf.get(block) ?? 36}m${id} │${RESET} ` : `${id} │ `;
  }

  private dim(text: string): string {
    return this.colours ? `${DIM}${text}${RESET}` : text;
  }

  private summary(runId: number, status: RunStatus, error: string | undefined, blocks: BlockSummary[]): string {
    const shown = blocks.filter((b) => !(b.status === 'skipped' && (b.reason ?? '').startsWith('not selected')));
    const rows = shown.map((b) => [b.block, `${statusMark(b.status)} ${b.status}`, String(b.attempts), b.durationMs === undefined ? '-' : formatDuration(b.durationMs), b.status === 'completed' ? '' : (b.reason ?? (b.exitCode !== undefined ? `exit code ${b.exitCode}` : ''))]);
    const lines = table(['block', 'status', 'attempts', 'duration', 'why'], rows).map((l, i) => (i === 0 ? this.dim(l) : l));
    const hidden = blocks.length - shown.length;
    if (hidden > 0) lines.push(this.dim(`(${hidden} block${hidden === 1 ? '' : 's'} not selected)`));
    const colour = status === 'completed' ? 32 : status === 'failed' ? 31 : 33;
    const verdict = `${statusMark(status)} Run ${this.title === '' ? `#${runId}` : this.title} ${status}${error !== undefined ? `: ${error}` : ''}`;
    const last = this.colours ? `\x1b[1;${colour}m${verdict}${RESET}` : verdict;
    return `\r\n${lines.join('\r\n')}\r\n\r\n${last}\r\n`;
  }
}

/** The status table's glyph, so the terminal, the CLI and the graph mark a status alike. */
export function statusMark(status: BlockStatus | RunStatus): string {
  return statusStyle(status).glyph;
}

/** Columns padded to their widest cell; trailing blanks trimmed. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}
