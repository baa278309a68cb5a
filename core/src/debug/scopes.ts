import { formatValue } from '../expr/index.ts';
import type { BlockGate } from '../runner/gate.ts';
import type { BlockStatus } from '../store/types.ts';
import { BLOCK_STATUSES, statusLabel } from '../model/status.ts';
import { formatMs } from '../runner/engine.ts';

/** A value in the Variables view; children make it expandable. */
export interface DebugVariable {
  name: string;
  value: string;
  children?: DebugVariable[];
}

export interface DebugScope {
  name: 'Block' | 'Variables' | 'Upstream outputs' | 'Run';
  variables: DebugVariable[];
}

/** The run as the Run scope shows it. */
export interface RunView {
  runId: number | undefined;
  pipelineFile: string;
  statuses: ReadonlyMap<string, BlockStatus>;
}

/** The four scopes of a block that is paused before it starts (or was let through and runs). */
export function blockScopes(gate: BlockGate, state: 'paused' | 'running', run: RunView): DebugScope[] {
  return [
    { name: 'Block', variables: blockVariables(gate, state) },
    { name: 'Variables', variables: Object.entries(gate.variables).map(([name, value]) => ({ name, value: formatValue(value) })) },
    { name: 'Upstream outputs', variables: upstreamVariables(gate) },
    { name: 'Run', variables: runVariables(run, gate) },
  ];
}

function blockVariables(gate: BlockGate, state: 'paused' | 'running'): DebugVariable[] {
  return [
    { name: 'id', value: gate.block },
    { name: 'state', value: state === 'paused' ? 'paused before it starts' : 'running' },
    { name: 'command', value: gate.command },
    { name: 'cwd', value: gate.cwd },
    { name: 'shell', value: gate.shell },
    { name: 'env', value: `${Object.keys(gate.definedEnv).length} defined by the pipeline`, children: sortedEntries(gate.definedEnv) },
    { name: 'attempt', value: `${gate.attempt} of ${gate.attempts}` },
    { name: 'timeout', value: gate.timeoutMs === undefined ? 'none' : formatMs(gate.timeoutMs) },
  ];
}

function upstreamVariables(gate: BlockGate): DebugVariable[] {
  return Object.entries(gate.upstream).map(([block, up]) => {
    const outputs = sortedEntries(up.outputs);
    // The `status` child is the value `blocks.<id>.status` reads; the summary is in words.
    return { name: block, value: `${statusLabel(up.status)}, ${outputs.length} output${outputs.length === 1 ? '' : 's'}`, children: [{ name: 'status', value: up.status }, ...outputs] };
  });
}

function runVariables(run: RunView, gate: BlockGate): DebugVariable[] {
  const counts = new Map<BlockStatus, number>();
  for (const status of run.statuses.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  const statusChildren = BLOCK_STATUSES.filter((s) => counts.has(s)).map((status) => ({ name: statusLabel(status), value: String(counts.get(status)) }));
  const git = gate.git;
  return [
    { name: 'id', value: String(run.runId ?? gate.runId) },
    { name: 'pipeline', value: gate.pipelineName },
    { name: 'file', value: run.pipelineFile },
    { name: 'blocks', value: statusChildren.map((c) => `${c.value} ${c.name}`).join(', '), children: statusChildren },
    git === undefined
      ? { name: 'git', value: 'not a git work tree' }
      : {
          name: 'git', value: `${git.commit.slice(0, 12)}${git.branch !== undefined ? ` (${git.branch})` : ''}${git.dirty ? ' dirty' : ''}`,
          children: [{ name: 'commit', value: git.commit }, { name: 'branch', value: git.branch ?? '(detached)' }, { name: 'dirty', value: String(git.dirty) }],
        },
  ];
}

function sortedEntries(values: Record<string, string>): DebugVariable[] {
  return Object.keys(values).sort().map((name) => ({ name, value: JSON.stringify(values[name] ?? '') }));
}
