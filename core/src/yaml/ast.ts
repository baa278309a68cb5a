import type { Span } from '../model/diagnostic.ts';

export type ScalarValue = string | number | boolean | null;

/** Our own small YAML tree: only what pipelines use, with the source span of every node. */
export type YNode = YScalar | YMap | YSeq;

export interface YScalar {
  kind: 'scalar';
  value: ScalarValue;
  style: 'plain' | 'single' | 'double' | 'block';
  span: Span;
}

export interface YPair {
  key: YScalar;
  /** Undefined for `key:` with nothing after it. */
  value: YNode | undefined;
  /** From the key's start to the value's end (or the colon when there is no value). */
  span: Span;
}

export interface YMap {
  kind: 'map';
  pairs: YPair[];
  flow: boolean;
  span: Span;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  flow: boolean;
  span: Span;
}

export function describeNode(node: YNode | undefined): string {
  if (node === undefined) return 'nothing';
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  if (v === null) return 'null';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  return 'a boolean';
}
