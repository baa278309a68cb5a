import { statusLabel } from '../model/status.ts';
import type { RunLinks } from '../store/runLinks.ts';

/** The `show` fields of the links, beside the run's other fields (`name` is padded by the caller). */
export function linkFields(links: RunLinks): [string, string][] {
  const fields: [string, string][] = [];
  if (links.profile !== undefined || links.test) {
    fields.push(['profile', `${links.profile ?? '-'}${links.test ? ' (a test run: left out of success rates unless asked for)' : ''}`]);
  }
  if (links.parent !== undefined) fields.push(['parent', `run #${links.parent.runId}, block ${links.parent.block}`]);
  if (links.children.length > 0) {
    fields.push(['children', links.children.map((c) => `#${c.runId} (${c.block}, ${c.status === undefined ? 'deleted' : statusLabel(c.status)})`).join(', ')]);
  }
  return fields;
}
