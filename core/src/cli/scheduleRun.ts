import { UsageError } from './files.ts';
import type { CliIo } from './validateCommand.ts';

export interface SchedulerCliOptions {
  paths: string[];
  storeOption: string | undefined;
  drain: boolean;
}

/** The headless scheduler (foreground). */
export function runScheduler(options: SchedulerCliOptions, io: CliIo): Promise<number> {
  void options;
  void io;
  return Promise.reject(new UsageError('Running the scheduler is not available in this build; use --list.'));
}
