/**
 * Reading an Argo Workflow's `status.nodes` as block statuses. A task is the node whose
 * `displayName` is the task's name: a `Pod` node, or a `Retry` node whose children are the
 * attempts (`name(0)`, `name(1)`, …), or a `Skipped` node when its `when` was false.
 */
export interface ArgoNode {
  id: string;
  name?: string;
  displayName?: string;
  type?: string;
  templateName?: string;
  phase?: string;
  message?: string;
  children?: string[];
  outputs?: { exitCode?: string; parameters?: { name: string; value?: string }[] };
}

export interface ArgoWorkflowObject {
  metadata?: { name?: string; namespace?: string };
  status?: { phase?: string; message?: string; nodes?: Record<string, ArgoNode> };
}

export type ArgoBlockStatus = 'queued' | 'running' | 'completed' | 'failed' | 'condition_failed' | 'cancelled';

export interface ArgoBlockState {
  status: ArgoBlockStatus;
  /** Why, for people: Argo's message (`Unschedulable: …`, `Error (exit code 1)`, a shutdown). */
  reason: string | undefined;
  /** 1-based; the number of attempts seen. */
  attempt: number;
  exitCode: number | undefined;
  /** The pod of the latest attempt, for `kubectl logs`. */
  podName: string | undefined;
  outputs: Record<string, string>;
}

const FINISHED_WORKFLOW = new Set(['Succeeded', 'Failed', 'Error']);

export function workflowFinished(wf: ArgoWorkflowObject): boolean {
  return FINISHED_WORKFLOW.has(wf.status?.phase ?? '');
}

/** The state of every task that has a node yet, by task name. */
export function taskStates(wf: ArgoWorkflowObject): Map<string, ArgoBlockState> {
  const nodes = wf.status?.nodes ?? {};
  const workflowName = wf.metadata?.name ?? '';
  const shutdown = /shutdown|Stopped with strategy/i.test(wf.status?.message ?? '');
  const out = new Map<string, ArgoBlockState>();
  for (const node of Object.values(nodes)) {
    const display = node.displayName ?? '';
    if (node.type === 'DAG' || node.type === 'Steps' || /\(\d+\)$/.test(display) || display === workflowName) continue;
    const attempts = node.type === 'Retry' ? (node.children ?? []).map((id) => nodes[id]).filter((n): n is ArgoNode => n !== undefined) : [node];
    const latest = attempts[attempts.length - 1] ?? node;
    const exit = latest.outputs?.exitCode;
    const outputs: Record<string, string> = {};
    for (const p of node.outputs?.parameters ?? latest.outputs?.parameters ?? []) outputs[p.name] = p.value ?? '';
    out.set(display, {
      status: statusOf(node, latest, shutdown),
      reason: reasonOf(node, latest),
      attempt: Math.max(1, attempts.length),
      exitCode: exit === undefined ? undefined : Number(exit),
      podName: latest.type === 'Pod' ? podName(workflowName, latest) : undefined,
      outputs,
    });
  }
  return out;
}

function statusOf(task: ArgoNode, latest: ArgoNode, shutdown: boolean): ArgoBlockStatus {
  if (task.type === 'Skipped' || task.phase === 'Skipped') return 'condition_failed';
  switch (task.phase) {
    case 'Succeeded':
      return 'completed';
    case 'Failed':
    case 'Error':
    case 'Omitted':
      return shutdown || /shutdown/i.test(latest.message ?? '') ? 'cancelled' : 'failed';
    case 'Running':
      // A Retry node stays Running between attempts: its latest attempt failed (the next waits for
      // its backoff), or the next attempt's pod is still pending.
      if (latest.phase === 'Failed' || latest.phase === 'Error') return 'failed';
      return latest.phase === 'Pending' ? 'queued' : 'running';
    default:
      return 'queued';
  }
}

function reasonOf(task: ArgoNode, latest: ArgoNode): string | undefined {
  const message = latest.message ?? task.message;
  if (message === undefined || message === '') return undefined;
  return message;
}

/**
 * Pod names since Argo 3.4 (POD_NAMES=v2): `<workflow>-<template>-<hash>`, where the node id is
 * `<workflow>-<hash>`. Older controllers named the pod like the node id.
 */
function podName(workflow: string, node: ArgoNode): string {
  const prefix = `${workflow}-`;
  if (node.templateName === undefined || !node.id.startsWith(prefix)) return node.id;
  return `${workflow}-${node.templateName}-${node.id.slice(prefix.length)}`;
}

/**
 * Splits the stream `kubectl get -o json --watch` writes (whole JSON objects one after another,
 * pretty-printed) into objects, whatever the chunk boundaries.
 */
export class JsonObjectStream {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  push(chunk: string): unknown[] {
    this.buffer += chunk;
    const objects: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (ch === '}' && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) {
          objects.push(JSON.parse(this.buffer.slice(this.start, i + 1)));
          this.buffer = this.buffer.slice(i + 1);
          i = -1;
          this.start = -1;
        }
      }
    }
    this.scanned = this.buffer.length;
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    }
    return objects;
  }
}
