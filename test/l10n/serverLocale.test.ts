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
