import { resolvePlain } from '../../../core/src/yaml/coreSchema.ts';

/**
 * A string as YAML text for a value at `indent` (the key's column): plain when YAML reads the plain
 * form back as the same string, a `|` literal block for several lines, double-quoted otherwise
 * (JSON's escapes are YAML's). Returns the text after `key:` including its leading space; a literal
 * block ends with a newline.
 */
export function yamlScalar(value: string, indent: number, newline: string): string {
  if (value.includes('\n') && !/^\s/.test(value) && !/[\r\t]/.test(value)) {
    const body = value.replace(/\n+$/, '').split('\n').map((line) => (line === '' ? '' : `${' '.repeat(indent + 2)}${line}`));
    return ` |${newline}${body.join(newline)}${newline}`;
  }
  return ` ${inlineScalar(value)}`;
}

/** A one-line YAML scalar: plain when safe, else double-quoted. */
export function inlineScalar(value: string): string {
  return isSafePlain(value) ? value : JSON.stringify(value);
}

/** A list entry inside `[ … ]`, where `,` `[` `]` `{` `}` also end a plain scalar. */
export function flowItem(value: string): string {
  return isSafePlain(value) && !/[,[\]{}]/.test(value) ? value : JSON.stringify(value);
}

function isSafePlain(value: string): boolean {
  if (value === '' || value !== value.trim() || /[\n\r\t]/.test(value)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return false;
  if (/: |:$| #/.test(value)) return false;
  return resolvePlain(value) === value;
}

/** A number typed in a field, as YAML reads a plain number; undefined when it is not one. */
export function plainInteger(value: string): string | undefined {
  return /^\d+$/.test(value.trim()) ? String(Number(value.trim())) : undefined;
}
