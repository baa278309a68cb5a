// The query language of the executions dashboard and the CLI (`runs --query`, `stats`, `export`).
export type { Comparison, Compared, QueryNode, Term, TermKey } from './ast.ts';
export { QUERY_KEYS } from './ast.ts';
export { compileQuery, type CompiledQuery } from './compile.ts';
export { QueryError, closest } from './errors.ts';
export { parseQuery } from './parser.ts';
export { TRIGGER_KINDS } from './terms.ts';
