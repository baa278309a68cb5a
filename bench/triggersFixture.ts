// The pipelines of bench/triggers.ts: 200 files in 20 folders, five triggers each.
import { generatePipeline } from './generate.ts';

export const PIPELINES = 200;
export const TRIGGERS_PER_PIPELINE = 5;
export const FOLDERS = 20;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Five triggers of every clock kind and an event one; a tenth of the pipelines chain to another. */
export function pipelineText(i: number): string {
  const blocks = generatePipeline(12).replace('name: generated\n', `name: p${i}\n`);
  const triggers = [
    'triggers:',
    `  nightly:\n    cron: "${i % 60} 3 * * *"\n    timezone: Europe/Paris\n    sla: 45m\n    timeout: 2h`,
    // On another day of the week than today's, so that no run starts while the bench measures the idle scheduler.
    `  office:\n    every: ${10 + (i % 50)}m\n    between: "09:00-17:30"\n    days: ${DAYS[(new Date().getDay() + 3) % 7]}`,
    `  weekly:\n    cron: "0 ${i % 24} * * 1#2"\n    timezone: America/New_York`,
    `  release:\n    at: 2027-0${1 + (i % 9)}-1${i % 10}T18:00:00Z`,
    i % 10 === 0 && i > 0 ? `  chained:\n    after: ../f${(i - 1) % FOLDERS}/p${i - 1}.pipeline.yaml` : `  on-data:\n    files: ["data${i}/**/*.csv"]\n    debounce: 2s`,
  ];
  return `${triggers.join('\n')}\n${blocks}`;
}

