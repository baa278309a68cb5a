import { spawn, type ChildProcess } from 'node:child_process';
import type { Manifest } from './compile.ts';
import { JsonObjectStream, taskStates, workflowFinished, type ArgoBlockState, type ArgoWorkflowObject } from './nodes.ts';

export interface ArgoSubmitOptions {
  manifest: Manifest;
  /** Block id by task name (compileArgo names tasks). */
  blockOfTask: ReadonlyMap<string, string>;
  /** Called when a block's state changes (status, reason or attempt). */
  onBlock: (blockId: string, state: ArgoBlockState) => void;
  /** `kubectl` by default, found on PATH. */
  kubectl?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ArgoRunHandle {
  /** The workflow's name in the cluster (from `generateName`). */
  readonly name: string;
  readonly namespace: string | undefined;
  /** Argo's final phase (`Succeeded`, `Failed`, `Error`) and message, once the workflow is finished. */
  readonly done: Promise<{ phase: string; message: string | undefined }>;
  /** `shutdown: Terminate`: Argo kills the running pods and runs nothing more. Idempotent. */
  cancel(): Promise<void>;
  /** The output of a block's latest attempt (`kubectl logs POD -c main`). */
  logs(blockId: string): Promise<string>;
  /** Stops following (the workflow goes on in the cluster; `attach` can follow it again). */
  detach(): void;
}

/** Every kubectl call: an argv array, never a shell; stdin optional; stdout on exit 0, else an error with stderr. */
export function kubectl(file: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined, stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new Error(`${file}: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} ${args[0] ?? ''} failed (exit ${String(code)}): ${err.trim()}`))));
    child.stdin.end(stdin ?? '');
  });
}

function namespaceArgs(namespace: string | undefined): string[] {
  return namespace === undefined ? [] : ['-n', namespace];
}

/** Creates the workflow with `kubectl create -f - -o json` and follows it. */
export async function submitArgo(options: ArgoSubmitOptions): Promise<ArgoRunHandle> {
  const file = options.kubectl ?? 'kubectl';
  const namespace = (options.manifest['metadata'] as { namespace?: string } | undefined)?.namespace;
  const created = JSON.parse(await kubectl(file, ['create', ...namespaceArgs(namespace), '-f', '-', '-o', 'json'], options.env, JSON.stringify(options.manifest))) as ArgoWorkflowObject;
  const name = created.metadata?.name;
  if (name === undefined || name === '') throw new Error('kubectl create answered without a workflow name');
  return followArgo({ ...options, name, namespace: created.metadata?.namespace ?? namespace });
}

/** Follows an existing workflow (after a submit, or to re-attach after the CLI was killed). */
export function followArgo(options: Omit<ArgoSubmitOptions, 'manifest'> & { name: string; namespace: string | undefined }): ArgoRunHandle {
  const file = options.kubectl ?? 'kubectl';
  const { name, namespace } = options;
  const last = new Map<string, string>();
  const pods = new Map<string, string>();
  let watch: ChildProcess | undefined;
  let detached = false;
  let cancelled = false;
  const done = new Promise<{ phase: string; message: string | undefined }>((resolve, reject) => {
    const start = (): void => {
      const stream = new JsonObjectStream();
      let finished = false;
      const child = spawn(file, ['get', 'workflow', name, ...namespaceArgs(namespace), '-o', 'json', '--watch'], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      watch = child;
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        for (const object of stream.push(chunk)) {
          const wf = object as ArgoWorkflowObject;
          for (const [task, state] of taskStates(wf)) {
            const block = options.blockOfTask.get(task);
            if (block === undefined) continue;
            if (state.podName !== undefined) pods.set(block, state.podName);
            const key = `${state.status}|${state.reason ?? ''}|${state.attempt}`;
            if (last.get(block) === key) continue;
            last.set(block, key);
            options.onBlock(block, state);
          }
          if (workflowFinished(wf) && !finished) {
            finished = true;
            child.kill('SIGTERM');
            resolve({ phase: wf.status?.phase ?? 'Unknown', message: wf.status?.message });
          }
        }
      });
      child.on('error', (e) => reject(new Error(`${file}: ${e.message}`)));
      child.on('close', (code) => {
        if (finished || detached) return;
        // A watch ends on its own when the API server closes it (timeouts); start another.
        if (code === 0) start();
        else reject(new Error(`${file} get workflow ${name} --watch failed (exit ${String(code)}): ${stderr.trim()}`));
      });
    };
    start();
  });
  return {
    name,
    namespace,
    done,
    async cancel(): Promise<void> {
      if (cancelled) return;
      cancelled = true;
      await kubectl(file, ['patch', 'workflow', name, ...namespaceArgs(namespace), '--type', 'merge', '-p', JSON.stringify({ spec: { shutdown: 'Terminate' } })], options.env);
    },
    async logs(blockId: string): Promise<string> {
      const pod = pods.get(blockId);
      if (pod === undefined) return '';
      return kubectl(file, ['logs', pod, '-c', 'main', ...namespaceArgs(namespace)], options.env);
    },
    detach(): void {
      detached = true;
      watch?.kill('SIGTERM');
    },
  };
}
