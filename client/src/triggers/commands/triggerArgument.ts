import { TriggerNode } from '../nodes.ts';

export interface TriggerRef {
  file: string;
  trigger: string;
  /** Offset of the trigger's name in its file, when known. */
  offset: number | undefined;
}

/** A row of the Upcoming view, or `{ file, trigger, offset? }` from a code lens, another extension or a test. */
export function triggerArgument(arg: unknown): TriggerRef | undefined {
  if (arg instanceof TriggerNode) return { file: arg.listing.file, trigger: arg.listing.trigger, offset: arg.listing.offset };
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { file, trigger, offset } = arg as { file?: unknown; trigger?: unknown; offset?: unknown };
  if (typeof file !== 'string' || typeof trigger !== 'string') return undefined;
  return { file, trigger, offset: typeof offset === 'number' ? offset : undefined };
}
