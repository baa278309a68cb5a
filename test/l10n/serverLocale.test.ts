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

// Hover, completion, quick fixes and rename come from core/src/language, through the same catalogue: in a
// French editor a block's and a trigger's hover (cron words and day names included), the items
// offered in `${{ }}`, a quick fix's title and a refused rename are French; without a locale they stay English.
const FEATURES = `triggers:
  nightly:
    cron: "0 3 * * *"
    timezone: UTC
  office:
    every: 30m
    between: "09:00-17:30"
    days: mon-fri
    timezone: UTC
blocks:
  extract:
    run: echo extract
  load:
    depends_on: [extract]
    run: echo \${{  }} \${{ blocks.extract. }}
`;

interface Markup { value: string }
interface Item { label: string; detail?: string; documentation?: Markup }
interface Texts { block: string; nightly: string; office: string; roots: string[]; members: string[]; fixes: string[]; refusal: string }

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  assert.ok(offset >= delta, needle);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 };
}

async function textsIn(initialize: Record<string, unknown>): Promise<Texts> {
  const client = await LspClient.start({ TZ: 'UTC' }, undefined, initialize);
  try {
    const uri = 'file:///ws/features.pipeline.yaml';
    await client.open(uri, FEATURES, 1);
    await client.waitForDiagnostics(uri);
    const textDocument = { uri };
    const hover = async (needle: string): Promise<string> =>
      (await client.request<{ contents: Markup } | null>('textDocument/hover', { textDocument, position: positionOf(FEATURES, needle, 1) }))?.contents.value ?? '(no hover)';
    const complete = async (needle: string, delta: number): Promise<Item[]> =>
      (await client.request<{ items: Item[] } | null>('textDocument/completion', { textDocument, position: positionOf(FEATURES, needle, delta), context: { triggerKind: 1 } }))?.items ?? [];
    const roots = (await complete('${{  }}', 4)).map((i) => `${i.label}: ${i.documentation?.value ?? ''}`).sort();
    const members = (await complete('blocks.extract. ', 15)).map((i) => `${i.label}: ${i.detail ?? ''}`).sort();
    // The quick fix of a misspelt dependency, asked as an editor asks: with the diagnostic at the cursor.
    const broken = 'file:///ws/broken.pipeline.yaml';
    const published = await client.diagnosticsFor(broken, MISSPELT_DEPENDENCY);
    const at = positionOf(MISSPELT_DEPENDENCY, 'extact', 1);
    const actions = await client.request<{ title: string }[] | null>('textDocument/codeAction', { textDocument: { uri: broken }, range: { start: at, end: at }, context: { diagnostics: published.diagnostics } });
    // A rename the server refuses (on a command, not a name) says why, as an editor shows it.
    const refusal = await client.request('textDocument/prepareRename', { textDocument, position: positionOf(FEATURES, 'echo extract', 1) }).then(() => '(accepted)', (error: Error) => error.message);
    return { block: await hover('extract:'), nightly: await hover('nightly'), office: await hover('office'), roots, members, fixes: (actions ?? []).map((a) => a.title), refusal };
  } finally {
    await client.stop();
  }
}

test('hover, completion, quick-fix and rename texts follow the locale too: French with "fr", English without', async () => {
  const french = await textsIn({ locale: 'fr' });
  assert.match(french.block, /^\*\*Bloc `extract`\*\*/);
  assert.match(french.block, /En amont : aucun {2}\nEn aval : `load`/);
  assert.match(french.nightly, /^\*\*Déclencheur `nightly`\*\* : À 03:00 \(`0 3 \* \* \*`\)\.\n\nProchains déclenchements \(UTC\) :\n- (lun|mar|mer|jeu|ven|sam|dim)\. \d{4}-\d\d-\d\d 03:00\n/);
  assert.match(french.office, /^\*\*Déclencheur `office`\*\* : toutes les 30m\.\n\nUniquement entre 09:00 et 17:30, les lun\., mar\., mer\., jeu\., ven\. \(UTC\)\./);
  assert.ok(french.roots.includes('vars: Une variable de l’exécution : `vars.NAME`.'), french.roots.join('\n'));
  assert.ok(french.roots.includes('blocks: Un bloc en amont : `blocks.ID.outputs.NAME` ou `blocks.ID.status`.'), french.roots.join('\n'));
  assert.deepEqual(french.members, ['outputs: valeurs écrites par le bloc', 'status: completed, cached ou failed']);
  assert.ok(french.fixes.includes('Remplacer par « extract »'), french.fixes.join('\n'));
  assert.equal(french.refusal, 'Seuls les identifiants de blocs et les noms de variables peuvent être renommés ici.');
  const english = await textsIn({});
  assert.match(english.block, /^\*\*Block `extract`\*\*/);
  assert.match(english.block, /Upstream: none {2}\nDownstream: `load`/);
  assert.match(english.nightly, /^\*\*Trigger `nightly`\*\*: At 03:00 \(`0 3 \* \* \*`\)\.\n\nNext \(UTC\):\n- (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d\d-\d\d 03:00\n/);
  assert.match(english.office, /^\*\*Trigger `office`\*\*: every 30m\.\n\nOnly between 09:00 and 17:30, on Mon, Tue, Wed, Thu, Fri \(UTC\)\./);
  assert.ok(english.roots.includes('vars: A variable of the run: `vars.NAME`.'), english.roots.join('\n'));
  assert.deepEqual(english.members, ['outputs: values the block wrote', 'status: completed, cached or failed']);
  assert.ok(english.fixes.includes("Change to 'extract'"), english.fixes.join('\n'));
  assert.equal(english.refusal, 'Only block ids and variable names can be renamed here.');
});
