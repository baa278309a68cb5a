// The increment of triggers inside the runner service (`pipeline-studio serve --socket`, the
// production build): its RSS idle with a window connected, then after the window enables triggers
// on 1,000 triggers over 200 pipelines, in the same process.   node bench/triggersService.ts
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SocketRunnerClient } from '../core/src/runner/client.ts';
import { EnableTriggersRequest, DisableTriggersRequest } from '../core/src/triggers/triggerProtocol.ts';
import { FOLDERS, PIPELINES, pipelineText, TRIGGERS_PER_PIPELINE } from './triggersFixture.ts';

const OUT = join(import.meta.dirname, '..', 'dist', 'bench-production');
const CLI = join(OUT, 'cli.cjs');
execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs'), '--production', '--outdir', OUT], { stdio: 'ignore' });
const root = mkdtempSync(join(tmpdir(), 'ps-bench-service-'));
const rss = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
try {
  for (let f = 0; f < FOLDERS; f++) mkdirSync(join(root, `f${f}`), { recursive: true });
  for (let i = 0; i < PIPELINES; i++) writeFileSync(join(root, `f${i % FOLDERS}`, `p${i}.pipeline.yaml`), pipelineText(i));
  const socket = join(root, 's.sock');
  const child = spawn(process.execPath, [CLI, 'serve', '--socket', socket, '--idle-ms', '600000'], { stdio: 'ignore' });
  let client: SocketRunnerClient | undefined;
  for (let i = 0; i < 600 && client === undefined; i++) {
    try {
      client = await SocketRunnerClient.connect(socket);
    } catch {
      await sleep(100);
    }
  }
  if (client === undefined) throw new Error('the service did not start');
  await sleep(3000);
  const before = rss(child.pid ?? 0);
  const store = join(root, '.pipelines', 'runs.sqlite');
  const state = await client.connection.sendRequest(EnableTriggersRequest, { store, folders: [root], disabled: [], longRunningAlert: true });
  await sleep(5000);
  const after = rss(child.pid ?? 0);
  console.log(`runner service: ${before.toFixed(1)} MB idle with a window; ${after.toFixed(1)} MB with ${state.triggers.length} triggers scheduled (of ${PIPELINES * TRIGGERS_PER_PIPELINE}): +${(after - before).toFixed(1)} MB`);
  await client.connection.sendRequest(DisableTriggersRequest, { store });
  await client.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
} finally {
  rmSync(root, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
}
