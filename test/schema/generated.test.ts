import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KEYS } from '../../core/src/index.ts';
import { SCHEMA_PATH, schemaText } from '../../scripts/generate-schema.ts';
import { schemaValidator } from './compare.ts';

test('the committed schema is the generated one (run scripts/generate-schema.ts after changing KEYS or a shape)', () => {
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), schemaText());
});

test('ajv compiles the schema in strict mode', () => {
  assert.equal(typeof schemaValidator(), 'function');
});

test('every key of the format is in the schema with its documentation', () => {
  const text = schemaText();
  for (const [context, keys] of Object.entries(KEYS)) {
    for (const spec of keys.values()) {
      assert.ok(text.includes(JSON.stringify(spec.doc)), `KEYS.${context}.${spec.name}: its documentation is missing from the schema`);
    }
  }
});
