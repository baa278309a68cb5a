import * as l10n from '@vscode/l10n';
import { diagnostic, type Diagnostic, type Span } from '../model/diagnostic.ts';
import type { TextValue } from '../model/pipeline.ts';
import { KEYS, type KeyContext } from '../model/schema.ts';
import { describeNode, type YMap, type YNode, type YPair, type YScalar } from '../yaml/ast.ts';
import { didYouMean } from '../util/didYouMean.ts';
import { parseDuration } from '../util/duration.ts';

/** Shared helpers that turn YAML nodes into typed values, reporting every mismatch once. */
export class NodeReader {
  readonly diagnostics: Diagnostic[] = [];
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  error(code: Diagnostic['code'], span: Span, message: string, suggestion?: string): void {
    this.diagnostics.push(diagnostic(code, 'error', span, message, suggestion === undefined ? undefined : { suggestion }));
  }

  /**
   * The pairs of a mapping by key, reporting duplicate keys and (for a known context) unknown keys
   * with a did-you-mean. The first occurrence of a duplicated key wins, as in most YAML loaders.
   */
  pairs(map: YMap, context: KeyContext | undefined, where: string): Map<string, YPair> {
    const out = new Map<string, YPair>();
    const known = context === undefined ? undefined : KEYS[context];
    for (const pair of map.pairs) {
      const name = pair.key.value === null ? '' : String(pair.key.value);
      const first = out.get(name);
      if (first !== undefined) {
        this.diagnostics.push(diagnostic('duplicate-key', 'error', pair.key.span, l10n.t('Duplicate key \'{0}\' in {1}; only the first is used.', name, where), {
          related: [{ span: first.key.span, message: l10n.t('first \'{0}\' is here', name) }],
        }));
        continue;
      }
      out.set(name, pair);
      if (known !== undefined && !known.has(name)) {
        const suggestion = didYouMean(name, known.keys());
        const hint = suggestion === undefined ? l10n.t(' Allowed: {0}.', [...known.keys()].join(', ')) : l10n.t(' Did you mean \'{0}\'?', suggestion);
        this.error('unknown-key', pair.key.span, l10n.t('Unknown key \'{0}\' in {1}.{2}', name, where, hint), suggestion);
      }
    }
    return out;
  }

  map(node: YNode | undefined, what: string, at: Span): YMap | undefined {
    if (node?.kind === 'map') return node;
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    this.error('invalid-type', node.span, l10n.t('{0} must be a mapping, not {1}.', what, describeNode(node)));
    void at;
    return undefined;
  }

  /** A string, also accepting numbers and booleans written where text is expected (`name: 2024`). */
  textValue(node: YNode | undefined, what: string, at: Span, required = false): TextValue | undefined {
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) {
      if (required) this.error('invalid-type', node?.span ?? at, l10n.t('{0} needs a value.', what));
      return undefined;
    }
    if (node.kind !== 'scalar') {
      this.error('invalid-type', node.span, l10n.t('{0} must be a string, not {1}.', what, describeNode(node)));
      return undefined;
    }
    return this.textOf(node);
  }

  textOf(node: YScalar): TextValue {
    const value = typeof node.value === 'string' ? node.value : String(node.value);
    return { value, span: node.span, sourceStart: node.span.start, source: this.text.slice(node.span.start, node.span.end) };
  }

  string(node: YNode | undefined, what: string, at: Span): string | undefined {
    return this.textValue(node, what, at)?.value;
  }

  boolean(node: YNode | undefined, what: string): boolean | undefined {
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    const suggestion = node.kind === 'scalar' && typeof node.value === 'string' && /^(yes|on|y)$/i.test(node.value) ? 'true'
      : node.kind === 'scalar' && typeof node.value === 'string' && /^(no|off|n)$/i.test(node.value) ? 'false' : undefined;
    this.error('invalid-type', node.span, l10n.t('{0} must be true or false, not {1}.', what, describeNode(node)), suggestion);
    return undefined;
  }

  number(node: YNode | undefined, what: string, options: { integer?: boolean; min?: number; minExclusive?: boolean }): number | undefined {
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || Number.isNaN(node.value)) {
      this.error('invalid-type', node.span, l10n.t('{0} must be a number, not {1}.', what, describeNode(node)));
      return undefined;
    }
    const v = node.value;
    if (options.integer === true && !Number.isInteger(v)) {
      this.error('invalid-value', node.span, l10n.t('{0} must be a whole number, not {1}.', what, v));
      return undefined;
    }
    if (options.min !== undefined && (options.minExclusive === true ? v <= options.min : v < options.min)) {
      this.error('invalid-value', node.span, l10n.t('{0} must be {1} {2}, not {3}.', what, options.minExclusive === true ? 'greater than' : 'at least', options.min, v));
      return undefined;
    }
    return v;
  }

  duration(node: YNode | undefined, what: string): number | undefined {
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (node.kind !== 'scalar') {
      this.error('invalid-duration', node.span, l10n.t('{0} must be a duration like 90s, 5m or 1h30m, not {1}.', what, describeNode(node)));
      return undefined;
    }
    const parsed = parseDuration(node.value);
    if ('error' in parsed) {
      this.error('invalid-duration', node.span, `${what}: ${parsed.error}`);
      return undefined;
    }
    return parsed.ms;
  }

  /** A list of strings, also accepting one bare string for convenience (`depends_on: extract`). */
  stringList(node: YNode | undefined, what: string): YScalar[] {
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return [];
    if (node.kind === 'scalar') return [node];
    if (node.kind === 'map') {
      this.error('invalid-type', node.span, l10n.t('{0} must be a list, not a mapping.', what));
      return [];
    }
    const out: YScalar[] = [];
    for (const item of node.items) {
      if (item.kind === 'scalar' && item.value !== null) out.push(item);
      else this.error('invalid-type', item.span, l10n.t('Each entry of {0} must be a string, not {1}.', what, describeNode(item)));
    }
    return out;
  }
}
