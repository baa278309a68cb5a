// The expression language: `${{ … }}` templates, their parser, reference rules and evaluator.
export { PRECEDENCE, type BinaryOperator, type Expr, type ExprError, type RefExpr, type Segment, type Span as ExprSpan, type Value } from './ast.ts';
export { tokenize, type Token } from './lexer.ts';
export { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_OPERATORS, parseExpression, type ParseResult } from './parse.ts';
export { allReferences, hasExpressions, parseTemplate, shiftExpr, type TemplatePart } from './template.ts';
export {
  BLOCK_MEMBERS, classifyReference, ITEM_MEMBERS, PIPELINE_MEMBERS, REFERENCE_ROOTS, referenceText, RUN_MEMBERS,
  type ClassifiedReference, type ReferenceRoot, type ValidReference,
} from './references.ts';
export { evaluate, evaluateTemplate, EvaluationError, isTruthy, toNumber, valueToString, type Lookup } from './evaluate.ts';
export { formatExpression, formatValue } from './print.ts';
