import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { BenchClient } from './lsp-client.ts';
import { generatePipeline } from './generate.ts';
const flags = process.argv.slice(2);
const c = await BenchClient.start('ours', [...flags, process.env['SERVER'] ?? join(import.meta.dirname, '..', 'dist', 'server.cjs'), '--stdio']);
const st = () => { const s = readFileSync(`/proc/${c.pid}/status`, 'utf8'); return `hwm ${(Number(/VmHWM:\s+(\d+)/.exec(s)?.[1])/1024).toFixed(0)} rss ${(Number(/VmRSS:\s+(\d+)/.exec(s)?.[1])/1024).toFixed(0)}`; };
console.log('start', st());
const text = generatePipeline(3000);
const uri = 'file:///tmp/m.pipeline.yaml';
await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'pipeline', version: 1, text } });
await c.waitForPublish(uri, 0, 1);
console.log('open', st());
const line = text.slice(0, text.indexOf('  b1500:')).split('\n').length;
for (let i = 0; i < 12; i++) {
  const seen = c.publishCount(uri);
  await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range: { start: { line, character: 16 }, end: { line, character: i % 2 ? 17 : 16 } }, text: i % 2 ? '' : 'x' }] });
  await c.waitForPublish(uri, seen, i + 2);
}
console.log('edits', st());
const depLine = line + 1;
for (let i = 0; i < 60; i++) await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: depLine, character: 17 } });
console.log('completions', st());
await c.stop();
