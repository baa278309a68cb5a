// bench/validate: full parse + validate against the bare `yaml` parses of the same text.
// Run: scripts/node24.sh npm run bench:validate
import { Parser, parseDocument } from 'yaml';
import { validatePipeline } from '../core/src/index.ts';
import { generatePipeline, medianMs, SIZES } from './generate.ts';

const rows: { blocks: number; kb: number; validate: number; parseDocument: number; cst: number; diagnostics: number }[] = [];
for (const blocks of SIZES) {
  const text = generatePipeline(blocks);
  const budget = blocks >= 3000 ? 4000 : 1500;
  const diagnostics = validatePipeline(text).diagnostics.length;
  const validate = medianMs(() => validatePipeline(text), budget);
  const bare = medianMs(() => parseDocument(text), budget);
  const cst = medianMs(() => {
    for (const token of new Parser().parse(text)) void token;
  }, budget);
  rows.push({ blocks, kb: Math.round(text.length / 1024), validate, parseDocument: bare, cst, diagnostics });
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`node ${process.version}, median ms per run`);
console.log(`${pad('blocks', 7)} ${pad('KiB', 6)} ${pad('validate', 9)} ${pad('parseDocument', 14)} ${pad('CST only', 9)} ${pad('validate/parseDocument', 23)} ${pad('diagnostics', 12)}`);
for (const r of rows) {
  console.log(`${pad(r.blocks, 7)} ${pad(r.kb, 6)} ${pad(r.validate.toFixed(2), 9)} ${pad(r.parseDocument.toFixed(2), 14)} ${pad(r.cst.toFixed(2), 9)} ${pad((r.validate / r.parseDocument).toFixed(2), 23)} ${pad(r.diagnostics, 12)}`);
}
const at = (n: number): number => rows.find((r) => r.blocks === n)?.validate ?? Number.NaN;
const growth = at(10000) / at(1000);
const slower = rows.filter((r) => r.validate > r.parseDocument).map((r) => r.blocks);
console.log(`growth 10,000 vs 1,000 blocks: ${growth.toFixed(2)}x (target <= 11x: ${growth <= 11 ? 'met' : 'MISSED'})`);
console.log(`validate no slower than bare parseDocument: ${slower.length === 0 ? 'met at every size' : `MISSED at ${slower.join(', ')} blocks`}`);
