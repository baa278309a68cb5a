import { createInterface, type Interface } from 'node:readline/promises';
import { userInfo } from 'node:os';
import type { RunEvent, RunHandle } from '../runner/index.ts';
import type { CliIo } from './validateCommand.ts';

/**
 * The CLI side of approval gates. On a terminal, each gate is asked in turn (`y` approves, anything
 * else rejects, then an optional comment); a decision made elsewhere (`pipeline-studio approve` in
 * another terminal, the editor) withdraws the question. Without a terminal it prints how to decide.
 */
export class ApprovalPrompter {
  private readonly io: CliIo;
  private readonly interactive: boolean;
  private handle: RunHandle | undefined;
  private readonly queue: { block: string; prompt: string }[] = [];
  private asking: { block: string; abort: AbortController } | undefined;
  private rl: Interface | undefined;

  constructor(io: CliIo, interactive: boolean) {
    this.io = io;
    this.interactive = interactive;
  }

  attach(handle: RunHandle): void {
    this.handle = handle;
    this.next();
  }

  event(e: RunEvent): void {
    if (e.type !== 'block-status') return;
    if (e.status === 'waiting') {
      if (!this.interactive) {
        this.io.out(gateWaitsLine(e.runId, e.block));
        return;
      }
      this.queue.push({ block: e.block, prompt: e.reason ?? `Run block '${e.block}'?` });
      this.next();
      return;
    }
    // Decided elsewhere (or cancelled): its question goes.
    const at = this.queue.findIndex((q) => q.block === e.block);
    if (at >= 0) this.queue.splice(at, 1);
    if (this.asking?.block === e.block) this.asking.abort.abort();
  }

  close(): void {
    this.asking?.abort.abort();
    this.rl?.close();
    this.rl = undefined;
  }

  private next(): void {
    if (this.asking !== undefined || this.handle === undefined) return;
    const gate = this.queue.shift();
    if (gate === undefined) return;
    const abort = new AbortController();
    this.asking = { block: gate.block, abort };
    void this.ask(gate, abort.signal).finally(() => {
      this.asking = undefined;
      this.next();
    });
  }

  private async ask(gate: { block: string; prompt: string }, signal: AbortSignal): Promise<void> {
    this.rl ??= createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      // The prompt is text from the pipeline's values: shown, never run or interpreted.
      const answer = await this.rl.question(`Approve block '${gate.block}'? ${gate.prompt} [y/N] `, { signal });
      const approved = /^y(es)?$/i.test(answer.trim());
      const comment = (await this.rl.question('Comment (optional): ', { signal })).trim();
      const result = this.handle?.decide(gate.block, { approved, user: userInfo().username, comment: comment === '' ? undefined : comment });
      if (result !== undefined && !result.ok) this.io.err(result.message);
    } catch {
      // Withdrawn: decided elsewhere, or the run ended.
    }
  }
}

/** How a gate that waits is announced where nobody is asked: the commands that decide it. */
export function gateWaitsLine(runId: number, block: string): string {
  return `Block '${block}' waits for approval: pipeline-studio approve ${runId} ${block}  (or reject ${runId} ${block}) [--comment TEXT]`;
}
