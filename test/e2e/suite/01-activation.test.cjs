'use strict';
const assert = require('node:assert/strict');
const vscode = require('vscode');
const { performance } = require('node:perf_hooks');
const { test } = require('./framework.cjs');
const { EXTENSION_ID, LANGUAGE_ID, openFixture, poll } = require('./helpers.cjs');

test('the extension is present under its id', () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `vscode.extensions.getExtension('${EXTENSION_ID}') is undefined`);
  assert.equal(ext.packageJSON.name, 'pipeline-studio');
  assert.equal(ext.packageJSON.publisher, 'pipeline-studio');
});

test('opening a *.pipeline.yaml file gives it the pipeline language and activates the extension', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, 'extension missing');
  const doc = await openFixture('broken.pipeline.yaml');
  assert.equal(doc.languageId, LANGUAGE_ID);
  // Activation comes from the extension's own activation events, not from the test calling activate().
  await poll('the extension to activate', () => ext.isActive, { timeoutMs: 20000 });
});

test('*.pipeline.yml is a pipeline file too; plain *.yaml is not', async () => {
  assert.equal((await openFixture('deploy.pipeline.yml')).languageId, LANGUAGE_ID);
  assert.notEqual((await openFixture('settings.yaml')).languageId, LANGUAGE_ID);
});

test('activation is measured: activate() to the language client ready, reported by the API and the log', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, 'extension missing');
  await openFixture('broken.pipeline.yaml');
  const api = await ext.activate();
  assert.equal(typeof api.activationMs, 'function', 'activate() returned no activationMs()');
  await poll('the language client to be ready', () => api.activationMs() !== undefined, { timeoutMs: 30000 });
  const ms = api.activationMs();
  // Order bounds only: positive, and no longer than this extension host has been alive.
  assert.ok(Number.isFinite(ms) && ms > 0, `activationMs() is ${ms}`);
  assert.ok(ms <= performance.now(), `activationMs() ${ms} exceeds the extension host's uptime ${performance.now()}`);
  console.log(`[e2e] activation: language client ready ${ms.toFixed(0)} ms after activate() was called`);
});
