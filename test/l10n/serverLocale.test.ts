import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, MISSPELT_DEPENDENCY } from '../lsp/lspClient.ts';

// The language server speaks the editor's language: VS Code sends its display language as the
// `locale` of the initialize request, and the server's diagnostics come from the bundle of that
// locale (l10n/bundle.l10n.fr.json), over a real stdio session with the bundled server.
const BROKEN = `${MISSPELT_DEPENDENCY}  same:
    depends_on: [same]
    run: echo same
`;

async function messagesIn(initialize: Record<string, unknown>): Promise<string[]> {
  const client = await LspClient.start({ TZ: 'UTC' }, undefined, initialize);
  try {
    const event = await client.diagnosticsFor('file:///ws/locale.pipeline.yaml', BROKEN);
    return event.diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)).sort();
  } finally {
    await client.stop();
  }
}

test('a server initialised with locale "fr" publishes French diagnostics; without a locale, or in a language without a bundle, English', async () => {
  const french = await messagesIn({ locale: 'fr' });
  assert.deepEqual(french, ['Bloc inconnu « extact » dans le depends_on de « load ». Vouliez-vous dire « extract » ?', 'Le bloc « same » dépend de lui-même.'].sort());
  assert.deepEqual(await messagesIn({ locale: 'fr-ca' }), french, 'a regional French is French');
  const english = ["Block 'same' depends on itself.", "Unknown block 'extact' in depends_on of 'load'. Did you mean 'extract'?"].sort();
  assert.deepEqual(await messagesIn({}), english);
  assert.deepEqual(await messagesIn({ locale: 'de' }), english);
});

// Hover and completion come from core/src/language, through the same catalogue: a block's hover
// and the roots offered in `${{ }}` are French in a French editor, English otherwise.
const LINKED = `blocks:
  extract:
    run: echo extract
  load:
    depends_on: [extract]
    run: echo \${{  }}
`;

interface Markup { value: string }
async function hoverAndCompletion(initialize: Record<string, unknown>): Promise<{ hover: string; docs: string[] }> {
  const client = await LspClient.start({ TZ: 'UTC' }, undefined, initialize);
  try {
    const uri = 'file:///ws/features.pipeline.yaml';
    await client.open(uri, LINKED, 1);
    await client.waitForDiagnostics(uri);
    const textDocument = { uri };
    const hover = await client.request<{ contents: Markup } | null>('textDocument/hover', { textDocument, position: { line: 4, character: 20 } });
    const completion = await client.request<{ items: { label: string; documentation?: Markup }[] } | null>('textDocument/completion', { textDocument, position: { line: 5, character: 18 }, context: { triggerKind: 1 } });
    const docs = (completion?.items ?? []).map((i) => `${i.label}: ${i.documentation?.value ?? ''}`).sort();
    return { hover: hover?.contents.value ?? '(no hover)', docs };
  } finally {
    await client.stop();
  }
}

test('hover and completion texts follow the locale too: French with "fr", English without', async () => {
  const french = await hoverAndCompletion({ locale: 'fr' });
  assert.match(french.hover, /^\*\*Bloc `extract`\*\*/);
  assert.match(french.hover, /En amont : aucun {2}\nEn aval : `load`/);
  assert.ok(french.docs.includes('vars: Une variable de l’exécution : `vars.NAME`.'), french.docs.join('\n'));
  assert.ok(french.docs.includes('blocks: Un bloc en amont : `blocks.ID.outputs.NAME` ou `blocks.ID.status`.'), french.docs.join('\n'));
  const english = await hoverAndCompletion({});
  assert.match(english.hover, /^\*\*Block `extract`\*\*/);
  assert.match(english.hover, /Upstream: none {2}\nDownstream: `load`/);
  assert.ok(english.docs.includes('vars: A variable of the run: `vars.NAME`.'), english.docs.join('\n'));
});
