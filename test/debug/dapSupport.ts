import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { openStore } from '../../core/src/store/index.ts';
import type { RunRecord } from '../../core/src/store/index.ts';
import { HANG_MS, ROOT } from '../runner/support.ts';

/** The bundled adapter (npm run build), spoken to over stdio; its runner service runs the CLI from source. */
export const ADAPTER = join(ROOT, 'dist', 'debugAdapter.cjs');
const CLI_SOURCE = join(ROOT, 'core', 'src', 'cli', 'main.ts');

export async function startAdapter(): Promise<DebugClient> {
  if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run scripts/node24.sh npm run build first`);
  const client = new DebugClient(process.execPath, ADAPTER, 'pipeline', { env: { ...process.env, PIPELINE_STUDIO_CLI: CLI_SOURCE } }, true);
  // A hang guard, not a speed bound: the service it spawns runs from TypeScript source, and on a
  // loaded machine starting it alone can take seconds.
  client.defaultTimeout = HANG_MS;
  await client.start();
  return client;
}

/** Launches and sets breakpoints the way VS Code does: launch, then after `initialized` breakpoints and configurationDone. */
export async function launchWithBreakpoints(
  client: DebugClient, args: Record<string, unknown>, file: string, breakpoints: DebugProtocol.SourceBreakpoint[],
): Promise<DebugProtocol.SetBreakpointsResponse> {
  await client.initializeRequest({ adapterID: 'pipeline', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = client.launchRequest(args);
  await client.waitForEvent('initialized');
  const set = await client.setBreakpointsRequest({ source: { path: file }, breakpoints });
  await client.configurationDoneRequest();
  await launched;
  return set;
}

export function storedRun(store: string, runId: number): { run: RunRecord | undefined; blocks: [string, string][] } {
  const reader = openStore(store, { readonly: true });
  try {
    return { run: reader.getRun(runId), blocks: reader.blockRuns(runId).map((b) => [b.block, b.status]) };
  } finally {
    reader.close();
  }
}

/** Every variable of a scope, by name, children flattened as `parent.child`. */
export async function scopeVariables(client: DebugClient, frameId: number): Promise<Record<string, Record<string, string>>> {
  const { body } = await client.scopesRequest({ frameId });
  const out: Record<string, Record<string, string>> = {};
  for (const scope of body.scopes) {
    const values: Record<string, string> = {};
    const read = async (ref: number, prefix: string): Promise<void> => {
      const vars = await client.variablesRequest({ variablesReference: ref });
      for (const v of vars.body.variables) {
        values[`${prefix}${v.name}`] = v.value;
        if (v.variablesReference > 0) await read(v.variablesReference, `${prefix}${v.name}.`);
      }
    };
    await read(scope.variablesReference, '');
    out[scope.name] = values;
  }
  return out;
}
