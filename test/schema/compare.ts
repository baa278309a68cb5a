import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { validatePipeline, type Diagnostic } from '../../core/src/index.ts';
import { buildSchema } from '../../scripts/generate-schema.ts';

/** The validator's codes for the shape of the data, which a JSON Schema can state. */
const SHAPE_CODES: ReadonlySet<string> = new Set([
  'unknown-key', 'invalid-type', 'invalid-value', 'missing-run', 'no-blocks', 'invalid-block-id', 'invalid-duration', 'invalid-retry',
  'invalid-memory',
]);

/** Shape rules no JSON Schema can state; the schema's description lists them too. */
const INEXPRESSIBLE: readonly { code: string; message: RegExp }[] = [
  { code: 'invalid-value', message: /is not among its enum values/ },
  { code: 'invalid-retry', message: /`max_delay` is smaller than `delay`/ },
  // JSON has one null for both `retry:` (accepted) and `retry: null` (refused).
  { code: 'invalid-retry', message: /, not null\.$/ },
];

/** Problems below the data (YAML syntax, limits): the file has no JSON reading to compare. */
const UNREADABLE_CODES: ReadonlySet<string> = new Set([
  'yaml-syntax', 'duplicate-key', 'yaml-alias-limit', 'nesting-too-deep', 'file-too-large', 'invalid-character', 'unsupported-yaml',
]);

export type Comparison =
  | { kind: 'skipped'; reason: string }
  | { kind: 'compared'; schemaAccepts: boolean; validatorAccepts: boolean; schemaErrors: ErrorObject[]; shapeErrors: Diagnostic[] };

let compiled: ValidateFunction | undefined;

/** The generated schema, compiled by ajv in strict mode (unknown keywords and formats are errors; union types are standard JSON Schema). */
export function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }).compile(buildSchema());
  return compiled;
}

export function isExpressibleShapeError(d: Diagnostic): boolean {
  return d.severity === 'error' && SHAPE_CODES.has(d.code) && !INEXPRESSIBLE.some((x) => x.code === d.code && x.message.test(d.message));
}

/** Checks one pipeline text with the schema (on the `yaml` package's JSON reading) and with the validator. */
export function compare(text: string): Comparison {
  const diagnostics = validatePipeline(text, { fileName: 'compare.pipeline.yaml' }).diagnostics;
  const unreadable = diagnostics.find((d) => UNREADABLE_CODES.has(d.code));
  if (unreadable !== undefined) return { kind: 'skipped', reason: `${unreadable.code}: ${unreadable.message}` };
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    return { kind: 'skipped', reason: `the yaml package cannot read it: ${String(error)}` };
  }
  if (holdsNonFinite(data)) return { kind: 'skipped', reason: '.nan or .inf, which JSON cannot hold' };
  const validate = schemaValidator();
  const schemaAccepts = validate(data);
  const shapeErrors = diagnostics.filter(isExpressibleShapeError);
  return { kind: 'compared', schemaAccepts, validatorAccepts: shapeErrors.length === 0, schemaErrors: validate.errors ?? [], shapeErrors };
}

function holdsNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(holdsNonFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsNonFinite);
  return false;
}

export function explain(text: string, result: Comparison): string {
  if (result.kind === 'skipped') return `skipped: ${result.reason}`;
  const schema = result.schemaErrors.map((e) => `  schema: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  const validator = result.shapeErrors.map((d) => `  validator: ${d.code}: ${d.message}`);
  return [
    `schema ${result.schemaAccepts ? 'accepts' : 'rejects'}, validator ${result.validatorAccepts ? 'accepts' : 'rejects'}:`,
    text,
    ...schema,
    ...validator,
  ].join('\n');
}
