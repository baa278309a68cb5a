import type { RunPlan } from '../../../core/src/runner/plan.ts';

const ACTION_LABEL: Record<string, string> = { run: 'would run', cached: 'cached', skipped: 'skipped', condition_failed: 'condition false', fail: 'would fail' };

/** A dry run as Markdown: what each block would do and why, then the commands that would run. */
export function planMarkdown(plan: RunPlan): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `# Dry run of ${plan.pipelineName}`,
    '',
    `Nothing was executed or recorded. Mode: \`${plan.mode}\`${plan.selection.length > 0 ? ` (${plan.selection.join(', ')})` : ''}; up to ${plan.concurrency} blocks at once.`,
    '',
  ];
  const vars = Object.entries(plan.variables);
  if (vars.length > 0) lines.push('Variables: ' + vars.map(([k, v]) => `\`${k}\` = \`${JSON.stringify(v)}\``).join(', '), '');
  lines.push('| Block | Plan | Why |', '| --- | --- | --- |');
  for (const b of plan.blocks) lines.push(`| ${cell(b.block)} | ${ACTION_LABEL[b.action] ?? b.action} | ${cell([b.reason, ...b.notes].filter((x) => x !== undefined).join('; '))} |`);
  const commands = plan.blocks.filter((b) => b.action === 'run' && b.command !== undefined);
  if (commands.length > 0) lines.push('', '## Commands');
  for (const b of commands) {
    const fence = (b.command ?? '').includes('```') ? '~~~~' : '```';
    lines.push('', `### ${b.block}`, '', fence, (b.command ?? '').trimEnd(), fence);
  }
  return `${lines.join('\n')}\n`;
}
