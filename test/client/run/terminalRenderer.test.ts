import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RunEvent } from '../../../core/src/runner/events.ts';
import { ServiceProcess, type ServiceLogChunk, type ServiceRunEvent } from '../../../client/src/run/serviceProcess.ts';
import { TerminalRenderer } from '../../../client/src/run/terminalRenderer.ts';
import { CLI, pipelineDir, tempDir } from '../../runner/support.ts';

/** Runs the pipeline through a real service process and returns its events in arrival order. */
async function serviceEvents(yaml: string, selection?: { mode: 'only'; blocks: string[] }): Promise<RunEvent[]> {
  const { file } = pipelineDir(yaml);
  const events: RunEvent[] = [];
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const keep = (event: ServiceRunEvent | ServiceLogChunk): void => {
    events.push(event);
    if (event.type === 'run-finished') finished();
  };
  const service = new ServiceProcess({ cliPath: CLI, onRunEvent: keep, onLogChunk: keep });
  try {
    await service.startRun({ file, store: join(tempDir('ps-store-'), 'runs.sqlite'), selection, concurrency: 1 });
    await done;
  } finally {
    await service.dispose();
  }
  return events;
}

function plain(events: RunEvent[], colours = false): string {
  const renderer = new TerminalRenderer({ colours });
  return events.map((e) => renderer.render(e)).join('');
}

test('a real run renders prefixed lines per block, status lines and a summary, with CRLF line ends', async () => {
  const events = await serviceEvents('name: etl\nblocks:\n  extract:\n    run: printf "one\\ntwo\\n"\n  load:\n    depends_on: extract\n    run: echo loaded; exit 3\n');
  const text = plain(events);
  assert.ok(!/[^\r]\n/.test(text), 'every line end is CRLF');
  const lines = text.split('\r\n');
  assert.match(lines[0] ?? '', /^Run etl #\d+ \(2 of 2 blocks, up to 1 at once\)$/);
  assert.ok(lines.includes('extract │ one') && lines.includes('extract │ two'), text);
  assert.ok(lines.includes('load    │ loaded'), text);
  assert.ok(lines.includes('load    │ ✕ failed (exit code 3)'), text);
  assert.ok(lines.indexOf('extract │ ✓ completed') < lines.indexOf('load    │ ▶ started'));
  assert.match(text, /block +status +attempts +duration +why\r\nextract +✓ completed +1 +\S+ *\r\nload +✕ failed +1 +\S+ +exit code 3/);
  assert.match(lines.at(-2) ?? '', /^✕ Run etl #\d+ failed$/);
});

test('a single-block run streams its output unprefixed', async () => {
  const events = await serviceEvents('blocks:\n  a:\n    run: echo nope\n  b:\n    run: echo just me\n', { mode: 'only', blocks: ['b'] });
  const lines = plain(events).split('\r\n');
  assert.ok(lines.includes('just me'), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes('nope')));
  assert.ok(lines.includes('✓ completed'));
  assert.ok(!lines.some((l) => l.startsWith('a ')), 'a block that was not selected stays out of the summary');
  assert.ok(lines.includes('(1 block not selected)'));
});

test('interleaved partial lines of two blocks never share a line; colours follow the block', () => {
  const renderer = new TerminalRenderer({ colours: true });
  const chunk = (block: string, text: string): RunEvent => ({ type: 'log-chunk', runId: 1, block, attempt: 1, stream: 'stdout', text, time: 0 });
  renderer.render({ type: 'run-started', runId: 1, pipelineName: 'p', pipelineFile: '/p', blocks: [{ id: 'a', status: 'initial' }, { id: 'bb', status: 'initial' }], concurrency: 2, time: 0 });
  const out = [chunk('a', 'downloading 10%'), chunk('bb', 'hello\nwor'), chunk('a', '\r20%\n'), chunk('bb', 'ld\n')].map((e) => renderer.render(e)).join('');
  const a = '\x1b[36ma  │\x1b[0m ';
  const b = '\x1b[33mbb │\x1b[0m ';
  assert.equal(out, `${a}downloading 10%\x1b[0m\r\n${b}hello\x1b[0m\r\n${b}wor\x1b[0m\r\n\r${a}20%\x1b[0m\r\n${b}ld\x1b[0m\r\n`);
});
