import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailsHtml } from '../../client/src/details/detailsHtml.ts';
import { compareViewOf } from '../../client/src/details/viewModel.ts';
import { compareRuns } from '../../core/src/details/compare.ts';
import { DetailsStore } from '../../core/src/details/detailsStore.ts';
import { loadRunDetails, type RunDetails } from '../../core/src/details/model.ts';
import { isWebviewMessage } from '../../webview/src/details/protocol.ts';
import { comparisonStore } from './fixtures.ts';

test('the details page: a nonce CSP that allows only our script and stylesheet', () => {
  const html = detailsHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/details.js', styleUri: 'vscode-resource:/details.css', nonce: 'abc' });
  assert.match(html, /default-src 'none'; script-src 'nonce-abc'; style-src vscode-resource:/);
  assert.match(html, /<script nonce="abc" src="vscode-resource:\/details.js">/);
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
});

test('webview messages are checked before use', () => {
  assert.equal(isWebviewMessage({ type: 'ready' }), true);
  assert.equal(isWebviewMessage({ type: 'action', action: 'openLog', block: 'a' }), true);
  assert.equal(isWebviewMessage({ type: 'action', action: 'runShell', block: 'a' }), false);
  assert.equal(isWebviewMessage({ type: 'action', action: 'openArtifact', path: 42 }), false);
  assert.equal(isWebviewMessage({ type: 'rendered', ms: '1', lanes: 1 }), false);
  assert.equal(isWebviewMessage(null), false);
});

test('the compare page has the sections of the CLI, differing rows marked', () => {
  const { store, runIds } = comparisonStore();
  const details = DetailsStore.open(store);
  const models = runIds.slice(0, 3).map((id) => loadRunDetails(store, details, id)).filter((m): m is RunDetails => m !== undefined);
  const view = compareViewOf(compareRuns(models));
  assert.deepEqual(view.heads, ['#1', '#2', '#3']);
  const rows = new Map(view.rows.map((r) => [`${r.section}/${r.label}`, r]));
  assert.equal(rows.get('Variables/rows')?.differs, true);
  assert.equal(rows.get('Variables/region')?.differs, false);
  assert.deepEqual(rows.get('Outputs/train.accuracy')?.cells, ['0.80', '0.81 (+0.01, +1.3%)', '0.82 (+0.02, +2.5%)']);
  assert.equal(rows.get('Definition/#3 vs #1')?.cells[2], 'changed train');
  assert.deepEqual(view.durations.find((d) => d.block === 'train')?.ms, [5000, 10000, 15000]);
  details.close();
  store.close();
});
