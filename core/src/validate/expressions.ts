import * as l10n from '@vscode/l10n';
import { diagnostic, type Diagnostic } from '../model/diagnostic.ts';
import type { Block, Pipeline, TextValue } from '../model/pipeline.ts';
import { allReferences, classifyReference, parseExpression, parseTemplate, type Expr, type RefExpr } from '../expr/index.ts';
import type { Dag } from '../graph/dag.ts';
import { didYouMean } from '../util/didYouMean.ts';
import { BrokenChains, type UnknownDependency } from './brokenChains.ts';

/** One expression found in the file, with absolute offsets. */
export interface FoundExpression {
  expr: Expr;
  /** The block whose field holds it, if any. */
  block: Block | undefined;
  field: string;
}

/**
 * Finds the expressions of a text value in its raw source, so every offset is a real position in
 * the file (the resolved value has quotes, escapes and block indentation removed).
 */
export function expressionsIn(value: TextValue, whole: boolean, report: (d: Diagnostic) => void): Expr[] {
  const out: Expr[] = [];
  const source = value.source;
  if (whole && !source.includes('${{')) {
    // `if: vars.x == 'y'` without braces: the value itself is the expression.
    const at = source.indexOf(value.value);
    const base = value.sourceStart + Math.max(0, at);
    const parsed = parseExpression(value.value, base);
    if (parsed.error) report(diagnostic('expression-syntax', 'error', parsed.error, parsed.error.message));
    else if (parsed.expr) out.push(parsed.expr);
    return out;
  }
  const parts = parseTemplate(source, value.sourceStart);
  let texts = 0;
  for (const part of parts) {
    if (part.kind === 'text') {
      if (part.text.trim() !== '' && !/^['"|>][-+0-9]*\s*$/.test(part.text.trim())) texts++;
      continue;
    }
    if (part.error) report(diagnostic('expression-syntax', 'error', part.error, part.error.message));
    else if (part.expr) out.push(part.expr);
  }
  if (whole && texts > 0) {
    report(diagnostic('expression-syntax', 'error', value.span,
      'Write the whole condition as one expression: `${{ a && b }}`, or without braces; text around ${{ }} would make it an always-true string.'));
  }
  return out;
}

/** Every expression of the pipeline, in file order of their fields. */
export function collectExpressions(pipeline: Pipeline, report: (d: Diagnostic) => void): FoundExpression[] {
  const found: FoundExpression[] = [];
  const add = (value: TextValue | undefined, block: Block | undefined, field: string, whole = false): void => {
    if (value === undefined) return;
    if (!whole && !value.source.includes('${{')) return;
    for (const expr of expressionsIn(value, whole, report)) found.push({ expr, block, field });
  };
  for (const e of pipeline.env) add(e.value, undefined, 'env');
  for (const e of pipeline.defaults.env) add(e.value, undefined, 'defaults.env');
  add(pipeline.defaults.cwd, undefined, 'defaults.cwd');
  for (const profile of pipeline.profiles?.values() ?? []) for (const e of profile.env) add(e.value, undefined, 'profiles.env');
  for (const block of pipeline.blocks) {
    add(block.run, block, 'run');
    add(block.cwd, block, 'cwd');
    add(block.approval?.prompt, block, 'approval.prompt');
    const foreach = block.foreach;
    if (foreach?.kind === 'expression') add(foreach.value, block, 'foreach');
    else if (foreach?.kind === 'glob') add(foreach.pattern, block, 'foreach');
    else if (foreach?.kind === 'list') for (const item of foreach.items) add(item, block, 'foreach');
    for (const e of block.env) add(e.value, block, 'env');
    for (const e of block.subPipeline?.with ?? []) add(e.value, block, 'with');
    if (block.condition && typeof block.condition.value === 'string' && !/^(true|false)$/.test(block.condition.value)) add(block.condition, block, 'if', true);
  }
  return found;
}

/** Why `${{ item }}` has no value here, if it has none: only the fields of one item (run, env, cwd) see it. */
function itemProblem(block: Block | undefined, field: string): string | undefined {
  if (block === undefined) return '`item` is only defined in a block with `foreach`; pipeline-level values have no item.';
  if (block.foreach === undefined) return `\`item\` is only defined in a block with \`foreach\`; block '${block.id}' has none.`;
  if (field === 'foreach') return '`foreach` cannot read `item`: the items are what it defines.';
  if (field === 'if' || field === 'approval.prompt') return `\`${field}\` is decided once for the whole block, before it fans out, so it cannot read \`item\`; use it in \`run\`, \`env\` or \`cwd\`.`;
  return undefined;
}

/**
 * Checks every reference: known variable, known and upstream block, declared output. A block that
 * is not upstream only because of an unknown dependency is left to that dependency's diagnostic.
 */
export function checkReferences(
  pipeline: Pipeline, dag: Dag, found: FoundExpression[], usedVariables: Set<string>, report: (d: Diagnostic) => void,
  unknownDependencies: readonly UnknownDependency[] = [],
): void {
  const blockIds = [...pipeline.blockById.keys()];
  const brokenChains = new BrokenChains(pipeline, unknownDependencies);
  for (const { expr, block, field } of found) {
    for (const ref of allReferences(expr)) checkReference(ref, block, field);
  }

  function checkReference(ref: RefExpr, block: Block | undefined, field: string): void {
    const c = classifyReference(ref);
    switch (c.kind) {
      case 'item': {
        const problem = itemProblem(block, field);
        if (problem !== undefined) report(diagnostic('item-outside-foreach', 'error', c.span, problem));
        return;
      }
      case 'invalid':
        report(diagnostic('invalid-reference', 'error', { start: c.start, end: c.end }, c.message));
        return;
      case 'var': {
        if (pipeline.variables.has(c.name)) {
          usedVariables.add(c.name);
          return;
        }
        const suggestion = didYouMean(c.name, pipeline.variables.keys());
        const hint = suggestion !== undefined ? l10n.t(' Did you mean \'{0}\'?', suggestion) : pipeline.variables.size === 0 ? ' Declare it under `variables:`.' : '';
        report(diagnostic('unknown-variable', 'error', c.nameSpan, l10n.t('Unknown variable \'{0}\'.{1}', c.name, hint), suggestion === undefined ? undefined : { suggestion }));
        return;
      }
      case 'blockOutput':
      case 'blockStatus': {
        const target = pipeline.blockById.get(c.block);
        if (target === undefined) {
          const suggestion = didYouMean(c.block, blockIds);
          report(diagnostic('unknown-block', 'error', c.blockSpan, l10n.t('Unknown block \'{0}\'.{1}', c.block, suggestion !== undefined ? l10n.t(' Did you mean \'{0}\'?', suggestion) : ''),
            suggestion === undefined ? undefined : { suggestion }));
          return;
        }
        if (block === undefined) {
          report(diagnostic('not-upstream', 'error', c.blockSpan, l10n.t('\'blocks.{0}\' cannot be used here: pipeline-level values are set before any block runs.', c.block)));
          return;
        }
        if (target === block) {
          report(diagnostic('not-upstream', 'error', c.blockSpan, l10n.t('Block \'{0}\' cannot read its own {1}: only blocks downstream of it can, once it has finished.', block.id, c.kind === 'blockStatus' ? 'status' : 'outputs')));
          return;
        }
        if (!dag.needs(block.id, target.id) && !brokenChains.explains(block.id, target.id)) {
          report(diagnostic('not-upstream', 'error', c.blockSpan,
            l10n.t('Block \'{0}\' is not upstream of \'{1}\', so its {2} may not exist yet. Add \'{3}\' to depends_on.', c.block, block.id, c.kind === 'blockStatus' ? 'status' : 'outputs', c.block),
            { suggestion: c.block }));
          return;
        }
        if (c.kind === 'blockOutput' && target.outputs !== undefined && !target.outputs.some((o) => o.name === c.output)) {
          const suggestion = didYouMean(c.output, target.outputs.map((o) => o.name));
          const declared = target.outputs.length === 0 ? 'declares no outputs' : `declares ${target.outputs.map((o) => `'${o.name}'`).join(', ')}`;
          report(diagnostic('unknown-output', 'error', c.outputSpan, l10n.t('Block \'{0}\' {1}, not \'{2}\'.{3}', c.block, declared, c.output, suggestion !== undefined ? l10n.t(' Did you mean \'{0}\'?', suggestion) : ''),
            suggestion === undefined ? undefined : { suggestion }));
        }
        return;
      }
      default:
        return;
    }
  }
}
