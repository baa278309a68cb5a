// Builds syntaxes/pipeline.tmLanguage.json, the TextMate grammar of pipeline files. The regexes
// share fragments (what a key is, what ends a plain value), so they are written once here rather
// than repeated, escaped twice, in JSON.
//
//   scripts/node24.sh node scripts/generate-grammar.ts    rewrite the committed grammar
//
// test/grammar/generated.test.ts fails when the committed file differs from what this builds.
//
// The grammar is self-contained YAML (tests run it with vscode-textmate alone) plus three things
// of the format: `${{ }}` expressions anywhere in values, `run:` values embedded as shell
// (`source.shell`, which VS Code ships), and the bare expression of `if:`. Lines are matched with
// begin/while rules wherever indentation decides the extent, so an unclosed quote or `${{` (or
// shell that the shell grammar reads differently) never runs past the end of its value.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Rule = { [key: string]: unknown };

export const GRAMMAR_PATH = join(import.meta.dirname, '..', 'syntaxes', 'pipeline.tmLanguage.json');

/** Characters that cannot start a plain (unquoted) YAML scalar. */
const NOT_PLAIN_START = String.raw`\s\-?:,\[\]{}#&*!|>'"%@` + '`';
const PLAIN_KEY = String.raw`(?:[^${NOT_PLAIN_START}]|[-?:](?=\S))(?:[^:#]|:(?=\S)|(?<=\S)#)*?`;
const QUOTED_KEY = String.raw`"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'`;
const KEY = `(?:${PLAIN_KEY}|${QUOTED_KEY})`;
const FLOW_KEY = String.raw`(?:[^${NOT_PLAIN_START}][^,\[\]{}:#]*?|${QUOTED_KEY})`;
/** An anchor and/or a tag before a value. */
const PROPERTIES = String.raw`(?:&\S+|!\S*)(?:[ \t]+(?:&\S+|!\S*))?`;
/** `|` or `>`, then the optional indentation and chomping indicators, then an optional comment. */
const BLOCK_HEADER = String.raw`(?:(${PROPERTIES})[ \t]+)?([|>])([1-9][-+]?|[-+][1-9]?)?[ \t]*((#).*)?$`;
/** A value starts after a space, or at the start of a line (a list item's or a continuation). */
const VALUE_START = String.raw`(?:^|(?<=[ \t]))`;
const FLOW_VALUE_START = String.raw`(?:^|(?<=[ \t\[{,]))`;
const BLOCK_VALUE_END = String.raw`(?=[ \t]*(?:#.*)?$)`;
const FLOW_VALUE_END = String.raw`(?=[ \t]*(?:[,\]}]|#|$))`;
/** Lines that belong to a value indented under the line whose indentation is captured as \1. */
const INDENTED_UNDER = String.raw`^(?=\1[ \t]|[ \t]*$)`;
/** A `while` that never matches: the rule ends with its first line, taking any open rule with it. */
const ONE_LINE = '^(?!)';

const NUMBERS: [string, string][] = [
  ['constant.numeric.integer.hexadecimal.pipeline', '0x[0-9a-fA-F]+'],
  ['constant.numeric.integer.octal.pipeline', '0o[0-7]+'],
  ['constant.numeric.integer.pipeline', '[-+]?[0-9]+'],
  ['constant.numeric.float.pipeline', String.raw`[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`],
];
// YAML 1.2 core schema, as the validator reads it: `yes`/`on` are strings, not booleans.
const LANGUAGE_CONSTANTS: [string, string][] = [
  ['constant.language.null.pipeline', '~|null|Null|NULL'],
  ['constant.language.boolean.pipeline', 'true|True|TRUE|false|False|FALSE'],
];

const KEY_CAPTURES = {
  2: { patterns: [{ include: '#sequence-item' }] },
  3: { name: 'entity.name.tag.pipeline' },
  4: { name: 'punctuation.separator.key-value.mapping.pipeline' },
};

function blockScalarCaptures(first: number): Rule {
  return {
    [first]: { patterns: [{ include: '#properties' }] },
    [first + 1]: { name: 'keyword.control.flow.block-scalar.pipeline' },
    [first + 2]: { name: 'storage.modifier.chomping-indicator.pipeline' },
    [first + 3]: { name: 'comment.line.number-sign.pipeline' },
    [first + 4]: { name: 'punctuation.definition.comment.pipeline' },
  };
}

function constants(start: string, end: string): Rule[] {
  return [...LANGUAGE_CONSTANTS, ...NUMBERS].map(([name, regex]) => ({ match: `${start}(?:${regex})${end}`, name }));
}

/** The same `${{ }}` rule for each context; only what ends an unfinished expression differs. */
function expression(end: string, body: string): Rule {
  return {
    name: 'meta.embedded.expression.pipeline',
    begin: String.raw`\$\{\{`,
    beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.pipeline' } },
    end,
    endCaptures: { 0: { name: 'punctuation.section.embedded.end.pipeline' } },
    patterns: [{ include: body }],
  };
}

const REPOSITORY: Record<string, Rule> = {
  yaml: {
    patterns: [
      '#comment', '#block-scalar', '#key', '#sequence-item', '#flow-mapping', '#flow-sequence',
      '#double-quoted', '#single-quoted', '#properties', '#alias', '#block-constants', '#plain',
    ].map((include) => ({ include })),
  },
  comment: {
    match: String.raw`(?:^|(?<=[ \t]))(#).*$`,
    name: 'comment.line.number-sign.pipeline',
    captures: { 1: { name: 'punctuation.definition.comment.pipeline' } },
  },
  document: {
    patterns: [
      { match: String.raw`^---(?=[ \t]|$)`, name: 'entity.other.document.begin.pipeline' },
      { match: String.raw`^\.\.\.(?=[ \t]|$)`, name: 'entity.other.document.end.pipeline' },
      { match: '^%.*$', name: 'meta.directive.pipeline' },
    ],
  },
  'blocks-section': {
    comment: 'The top-level `blocks:` mapping, whose keys are block ids.',
    begin: String.raw`^(blocks)[ \t]*(:)(?=[ \t]*(?:#.*)?$)`,
    beginCaptures: { 1: { name: 'entity.name.tag.pipeline' }, 2: { name: 'punctuation.separator.key-value.mapping.pipeline' } },
    end: String.raw`^(?=[^\s#])`,
    patterns: [{ include: '#comment' }, { include: '#block' }],
  },
  block: {
    comment: 'One block: its id, then every line indented under it.',
    name: 'meta.block.pipeline',
    begin: String.raw`^([ \t]+)(${KEY})[ \t]*(:)(?=[ \t]|$)`,
    beginCaptures: {
      2: { name: 'entity.name.tag.pipeline entity.name.function.block.pipeline' },
      3: { name: 'punctuation.separator.key-value.mapping.pipeline' },
    },
    while: String.raw`^(?=\1[ \t]|[ \t]*(?:#.*)?$)`,
    patterns: [{ include: '#run-block' }, { include: '#run-line' }, { include: '#if-line' }, { include: '#yaml' }],
  },
  'run-block': {
    comment: '`run: |` — the block scalar is shell.',
    begin: String.raw`^([ \t]*)(run)[ \t]*(:)[ \t]+${BLOCK_HEADER}`,
    beginCaptures: {
      2: { name: 'entity.name.tag.pipeline' },
      3: { name: 'punctuation.separator.key-value.mapping.pipeline' },
      ...blockScalarCaptures(4),
    },
    while: INDENTED_UNDER,
    contentName: 'meta.embedded.block.shell',
    patterns: [{ include: '#expression' }, { include: 'source.shell' }],
  },
  'run-line': {
    comment: '`run: command` on one line — shell up to a YAML comment.',
    begin: String.raw`^([ \t]*)(run)[ \t]*(:)[ \t]+(?=[^\s#'"|>\[{&*!])`,
    beginCaptures: { 2: { name: 'entity.name.tag.pipeline' }, 3: { name: 'punctuation.separator.key-value.mapping.pipeline' } },
    while: ONE_LINE,
    contentName: 'meta.embedded.line.shell',
    patterns: [{ include: '#expression-inline' }, { include: '#comment' }, { include: 'source.shell' }],
  },
  'if-line': {
    comment: '`if: vars.x == 1` — the whole value is an expression, braces optional.',
    begin: String.raw`^([ \t]*)(if)[ \t]*(:)[ \t]+(?=[^\s#'"|>\[{&*!$]|\$(?!\{\{))`,
    beginCaptures: { 2: { name: 'entity.name.tag.pipeline' }, 3: { name: 'punctuation.separator.key-value.mapping.pipeline' } },
    while: ONE_LINE,
    patterns: [
      {
        name: 'meta.embedded.expression.pipeline',
        begin: String.raw`\G`,
        end: String.raw`(?=[ \t]+#|[ \t]*$)`,
        patterns: [{ include: '#expression-body' }],
      },
      { include: '#comment' },
    ],
  },
  'block-scalar': {
    begin: String.raw`^([ \t]*)((?:-[ \t]+)*)(?:(${KEY})[ \t]*(:)[ \t]+)?${BLOCK_HEADER}`,
    beginCaptures: { ...KEY_CAPTURES, ...blockScalarCaptures(5) },
    while: INDENTED_UNDER,
    contentName: 'string.unquoted.block.pipeline',
    patterns: [{ include: '#expression' }],
  },
  key: {
    match: String.raw`^([ \t]*)((?:-[ \t]+)*)(${KEY})[ \t]*(:)(?=[ \t]|$)`,
    captures: KEY_CAPTURES,
  },
  'sequence-item': {
    match: String.raw`${VALUE_START}-(?=[ \t]|$)`,
    name: 'punctuation.definition.block.sequence.item.pipeline',
  },
  'flow-mapping': {
    name: 'meta.flow-mapping.pipeline',
    begin: String.raw`\{`,
    beginCaptures: { 0: { name: 'punctuation.definition.mapping.begin.pipeline' } },
    end: String.raw`\}`,
    endCaptures: { 0: { name: 'punctuation.definition.mapping.end.pipeline' } },
    patterns: [{ include: '#flow-contents' }],
  },
  'flow-sequence': {
    name: 'meta.flow-sequence.pipeline',
    begin: String.raw`\[`,
    beginCaptures: { 0: { name: 'punctuation.definition.sequence.begin.pipeline' } },
    end: String.raw`\]`,
    endCaptures: { 0: { name: 'punctuation.definition.sequence.end.pipeline' } },
    patterns: [{ include: '#flow-contents' }],
  },
  'flow-contents': {
    patterns: [
      { include: '#comment' },
      {
        match: String.raw`(${FLOW_KEY})[ \t]*(:)(?=[ \t,\]}]|$)`,
        captures: { 1: { name: 'entity.name.tag.pipeline' }, 2: { name: 'punctuation.separator.key-value.mapping.pipeline' } },
      },
      { match: ',', name: 'punctuation.separator.collection.pipeline' },
      { include: '#flow-mapping' },
      { include: '#flow-sequence' },
      { include: '#double-quoted' },
      { include: '#single-quoted' },
      { include: '#properties' },
      { include: '#alias' },
      ...constants(FLOW_VALUE_START, FLOW_VALUE_END),
      {
        name: 'string.unquoted.plain.pipeline',
        begin: String.raw`(?=[^${NOT_PLAIN_START}]|[-?:][^\s,\[\]{}])`,
        end: String.raw`(?=[ \t]*[,\]}]|[ \t]+#|[ \t]*$)`,
        patterns: [{ include: '#expression-inline' }],
      },
    ],
  },
  'double-quoted': {
    name: 'string.quoted.double.pipeline',
    begin: '"',
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.pipeline' } },
    end: '"',
    endCaptures: { 0: { name: 'punctuation.definition.string.end.pipeline' } },
    patterns: [
      { include: '#expression-in-double-quoted' },
      { match: String.raw`\\(?:[0abtnvfre "/\\N_LP\t]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})`, name: 'constant.character.escape.pipeline' },
      { match: String.raw`\\.`, name: 'invalid.illegal.escape.pipeline' },
    ],
  },
  'single-quoted': {
    name: 'string.quoted.single.pipeline',
    begin: "'",
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.pipeline' } },
    end: "'(?!')",
    endCaptures: { 0: { name: 'punctuation.definition.string.end.pipeline' } },
    patterns: [
      { include: '#expression-in-single-quoted' },
      { match: "''", name: 'constant.character.escape.pipeline' },
    ],
  },
  properties: {
    patterns: [
      {
        match: String.raw`${FLOW_VALUE_START}(&)([^\s\[\]{},]+)`,
        name: 'entity.name.type.anchor.pipeline',
        captures: { 1: { name: 'punctuation.definition.anchor.pipeline' } },
      },
      { match: String.raw`${FLOW_VALUE_START}!(?:<[^>]*>|[^\s\[\]{},]*)`, name: 'storage.type.tag-handle.pipeline' },
    ],
  },
  alias: {
    match: String.raw`${FLOW_VALUE_START}(\*)([^\s\[\]{},]+)`,
    name: 'variable.other.alias.pipeline',
    captures: { 1: { name: 'punctuation.definition.alias.pipeline' } },
  },
  'block-constants': { patterns: constants(VALUE_START, BLOCK_VALUE_END) },
  plain: {
    name: 'string.unquoted.plain.pipeline',
    begin: String.raw`${VALUE_START}(?=[^${NOT_PLAIN_START}]|[-?:]\S)`,
    end: String.raw`(?=[ \t]+#|[ \t]*$)`,
    patterns: [{ include: '#expression-inline' }],
  },

  // Expressions. In a block scalar one may span lines; elsewhere an unfinished one ends with its
  // line, or where the YAML string around it ends.
  expression: expression(String.raw`\}\}`, '#expression-body'),
  'expression-inline': expression(String.raw`\}\}|$`, '#expression-body'),
  'expression-in-double-quoted': expression(String.raw`\}\}|(?=")|$`, '#expression-body'),
  'expression-in-single-quoted': expression(String.raw`\}\}|(?='(?!'))|$`, '#expression-body-in-single-quoted'),
  'expression-body': { patterns: [{ include: '#expression-string' }, { include: '#expression-tokens' }] },
  'expression-body-in-single-quoted': {
    comment: "Inside a YAML 'string', the expression's quotes are doubled: '${{ vars.x == ''a'' }}'.",
    patterns: [{ include: '#expression-string-in-single-quoted' }, { include: '#expression-tokens' }],
  },
  'expression-string': {
    name: 'string.quoted.single.pipeline',
    begin: "'",
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.pipeline' } },
    end: "'(?!')|$",
    endCaptures: { 0: { name: 'punctuation.definition.string.end.pipeline' } },
    patterns: [{ match: "''", name: 'constant.character.escape.pipeline' }],
  },
  'expression-string-in-single-quoted': {
    name: 'string.quoted.single.pipeline',
    begin: "''",
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.pipeline' } },
    end: "''|(?='(?!'))|$",
    endCaptures: { 0: { name: 'punctuation.definition.string.end.pipeline' } },
    applyEndPatternLast: true,
    patterns: [{ match: "''''", name: 'constant.character.escape.pipeline' }],
  },
  'expression-tokens': {
    patterns: [
      { match: String.raw`(?<![\w.-])(?:true|false)(?![\w-])`, name: 'constant.language.boolean.pipeline' },
      { match: String.raw`(?<![\w.-])null(?![\w-])`, name: 'constant.language.null.pipeline' },
      { match: String.raw`(?<![\w.-])-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![\w.-])`, name: 'constant.numeric.pipeline' },
      {
        match: String.raw`(?<![\w.-])(vars|env|blocks)(?![\w-])(?:\s*(\.)\s*([A-Za-z_][\w-]*))?`,
        captures: {
          1: { name: 'support.variable.context.pipeline' },
          2: { name: 'punctuation.accessor.pipeline' },
          3: { name: 'variable.other.reference.pipeline' },
        },
      },
      { match: String.raw`(?<![\w.-])(?:pipeline|run)(?![\w-])`, name: 'support.variable.context.pipeline' },
      {
        match: String.raw`(\.)\s*([A-Za-z_][\w-]*)`,
        captures: { 1: { name: 'punctuation.accessor.pipeline' }, 2: { name: 'variable.other.property.pipeline' } },
      },
      { match: String.raw`(?<![\w.-])[A-Za-z_][\w-]*`, name: 'variable.other.pipeline' },
      { match: '==|!=', name: 'keyword.operator.comparison.pipeline' },
      { match: '<=|>=|<|>', name: 'keyword.operator.relational.pipeline' },
      { match: String.raw`&&|\|\||!`, name: 'keyword.operator.logical.pipeline' },
      { match: String.raw`\(`, name: 'punctuation.section.parens.begin.pipeline' },
      { match: String.raw`\)`, name: 'punctuation.section.parens.end.pipeline' },
      { match: String.raw`[^\s]`, name: 'invalid.illegal.character.pipeline' },
    ],
  },
};

export function buildGrammar(): Rule {
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Pipeline',
    scopeName: 'source.pipeline',
    comment: 'Generated by scripts/generate-grammar.ts; edit that file, not this one.',
    patterns: [{ include: '#document' }, { include: '#blocks-section' }, { include: '#yaml' }],
    repository: REPOSITORY,
    injections: {
      // `${{ }}` is substituted in `run` wherever it stands, so it wins over any shell rule
      // (strings, heredocs, comments); a YAML comment also ends a one-line `run`.
      'L:meta.embedded.block.shell - meta.embedded.expression.pipeline': { patterns: [{ include: '#expression' }] },
      'L:meta.embedded.line.shell - meta.embedded.expression.pipeline': { patterns: [{ include: '#expression-inline' }, { include: '#comment' }] },
    },
  };
}

export function grammarText(): string {
  return `${JSON.stringify(buildGrammar(), null, 2)}\n`;
}

if (import.meta.main) {
  writeFileSync(GRAMMAR_PATH, grammarText());
  console.log(`wrote ${GRAMMAR_PATH}`);
}
