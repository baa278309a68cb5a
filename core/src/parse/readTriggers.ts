import * as l10n from '@vscode/l10n';
import { diagnostic } from '../model/diagnostic.ts';
import type { Pipeline } from '../model/pipeline.ts';
import { TRIGGER_NAME_PATTERN, VARIABLE_NAME_PATTERN } from '../model/schema.ts';
import {
  AFTER_STATUS_VALUES, CATCH_UP_VALUES, DEFAULT_DEBOUNCE_MS, ON_TIMEOUT_VALUES, OVERLAP_VALUES, TRIGGER_KINDS,
  type TriggerDef, type TriggerKind,
} from '../model/triggers.ts';
import { cronSurelyFires } from '../triggers/cronFastPath.ts';
import { nextFireAfter } from '../triggers/nextFire.ts';
import { parseAt, parseDays, parseWindow } from '../triggers/windows.ts';
import { parseCron } from '../util/cron.ts';
import { didYouMean } from '../util/didYouMean.ts';
import { isValidTimeZone, localTimeZone } from '../util/zonedTime.ts';
import type { YPair } from '../yaml/ast.ts';
import type { NodeReader } from './reader.ts';

// A fixed moment, so that whether a trigger ever fires does not depend on when the file is checked.
const NEVER_FIRES_REFERENCE = Date.UTC(2026, 0, 1);
// Without a window, eight years (a 29 February comes round); with one, a year of days, each a re-parse
// of the cron: this runs as the user types.
const NEVER_FIRES_HORIZON_DAYS = 8 * 366;
const WINDOW_HORIZON_DAYS = 400;

/** Keys that only mean something for one kind of trigger. */
const KIND_OF_KEY: Record<string, TriggerKind> = { status: 'after', debounce: 'files', min_gap: 'always' };

export function emptyTrigger(name: string, pair: YPair): TriggerDef {
  return {
    name, nameSpan: pair.key.span, span: pair.span, kind: undefined, cron: undefined, everyMs: undefined, atMs: undefined, files: [],
    debounceMs: DEFAULT_DEBOUNCE_MS, after: undefined, afterStatus: 'completed', minGapMs: 0, timezone: undefined, window: undefined,
    days: undefined, variables: {}, slaMs: undefined, timeoutMs: undefined, onTimeout: 'failed', short: false,
  };
}

/** `schedule:`, `triggers:`, `overlap`, `catch_up` and `on_failure` of the top-level mapping. */
export function readTriggerKeys(r: NodeReader, top: Map<string, YPair>, pipeline: Pipeline): void {
  const choice = <T extends string>(key: string, values: readonly T[]): T | undefined => {
    const pair = top.get(key);
    const value = pair === undefined ? undefined : r.string(pair.value, `\`${key}\``, pair.key.span);
    if (pair === undefined || value === undefined) return undefined;
    if ((values as readonly string[]).includes(value)) return value as T;
    r.error('invalid-value', pair.value?.span ?? pair.key.span, l10n.t('`{0}` is one of {1}, not \'{2}\'.', key, values.join(', '), value), didYouMean(value, values));
    return undefined;
  };
  pipeline.overlap = choice('overlap', OVERLAP_VALUES) ?? 'skip';
  pipeline.catchUp = choice('catch_up', CATCH_UP_VALUES) ?? 'none';
  const onFailure = top.get('on_failure');
  if (onFailure) {
    const value = r.textValue(onFailure.value, '`on_failure`', onFailure.key.span);
    if (value !== undefined && value.value.trim() !== '') pipeline.onFailure = value;
  }
  const schedule = top.get('schedule');
  if (schedule && pipeline.schedule !== undefined) {
    const cron = parseCron(pipeline.schedule.value);
    if ('fields' in cron) pipeline.triggers.push({ ...emptyTrigger('schedule', schedule), kind: 'cron', cron: cron.fields, short: true });
  }
  const triggers = top.get('triggers');
  const map = triggers === undefined ? undefined : r.map(triggers.value, '`triggers`', triggers.key.span);
  if (map === undefined) return;
  for (const [name, entry] of r.pairs(map, undefined, '`triggers`')) {
    if (!TRIGGER_NAME_PATTERN.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('Trigger name \'{0}\' must start with a letter or _ and contain only letters, digits, _ and -.', name));
      continue;
    }
    if (pipeline.triggers.some((t) => t.name === name)) {
      r.error('invalid-trigger', entry.key.span, l10n.t('A trigger named \'{0}\' already exists: `schedule:` is the short form of a cron trigger named \'schedule\'.', name));
      continue;
    }
    const trigger = readTrigger(r, name, entry, pipeline);
    if (trigger !== undefined) pipeline.triggers.push(trigger);
  }
}

function readTrigger(r: NodeReader, name: string, entry: YPair, pipeline: Pipeline): TriggerDef | undefined {
  const node = entry.value;
  const noKind = `Trigger '${name}' does not say when it fires; give it one of ${TRIGGER_KINDS.map((k) => `\`${k}\``).join(', ')}.`;
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) {
    r.error('invalid-trigger', entry.key.span, noKind);
    return undefined;
  }
  if (node.kind !== 'map') {
    r.error('invalid-type', node.span, `Trigger '${name}' must be a mapping like { cron: "0 3 * * *" }, not ${node.kind === 'seq' ? 'a list' : 'a single value'}.`);
    return undefined;
  }
  const spec = r.pairs(node, 'trigger', `trigger '${name}'`);
  const trigger = emptyTrigger(name, entry);
  let ok = true;
  const kinds = TRIGGER_KINDS.filter((k) => spec.has(k));
  if (kinds.length === 0) {
    r.error('invalid-trigger', entry.key.span, noKind);
    ok = false;
  }
  for (const extra of kinds.slice(1)) {
    const pair = spec.get(extra);
    if (pair) r.error('invalid-trigger', pair.key.span, l10n.t('Trigger \'{0}\' already fires on `{1}`; a trigger has one kind, so give `{2}` a trigger of its own.', name, kinds[0] ?? '', extra));
    ok = false;
  }
  trigger.kind = kinds[0];
  const kindPair = trigger.kind === undefined ? undefined : spec.get(trigger.kind);
  if (kindPair !== undefined && (kindPair.value === undefined || (kindPair.value.kind === 'scalar' && kindPair.value.value === null))) {
    r.error('invalid-trigger', kindPair.key.span, l10n.t('`{0}` of trigger \'{1}\' needs a value.', kindPair.key.value ?? '', name));
    ok = false;
  }
  for (const [key, kind] of Object.entries(KIND_OF_KEY)) {
    const pair = spec.get(key);
    if (pair && trigger.kind !== kind) {
      r.error('invalid-trigger', pair.key.span, l10n.t('`{0}` only applies to `{1}` triggers; trigger \'{2}\' {3}.', key, kind, name, trigger.kind === undefined ? 'has no kind' : `fires on \`${trigger.kind}\``));
    }
  }

  const zonePair = spec.get('timezone');
  if (zonePair) {
    const zone = r.textValue(zonePair.value, '`timezone`', zonePair.key.span);
    if (zone !== undefined) {
      if (isValidTimeZone(zone.value)) trigger.timezone = zone.value;
      else {
        const suggestion = didYouMean(zone.value, timeZones());
        r.error('invalid-timezone', zone.span, l10n.t('Unknown time zone \'{0}\'; use an IANA name like Europe/Paris or America/New_York.{1}', zone.value, suggestion === undefined ? '' : l10n.t(' Did you mean \'{0}\'?', suggestion)), suggestion);
        ok = false;
      }
    }
  }
  const zone = trigger.timezone ?? localTimeZone();

  const cron = spec.get('cron');
  if (cron) {
    const value = r.textValue(cron.value, '`cron`', cron.key.span);
    const parsed = value === undefined ? undefined : parseCron(value.value);
    if (value !== undefined && parsed !== undefined && 'error' in parsed) r.error('invalid-cron', value.span, parsed.error);
    if (parsed !== undefined && 'fields' in parsed) trigger.cron = parsed.fields;
    else ok = false;
  }
  const every = spec.get('every');
  if (every) {
    const ms = r.duration(every.value, '`every`');
    if (ms === 0) r.error('invalid-duration', every.value?.span ?? every.key.span, l10n.t('`every` must be longer than zero.'));
    if (ms === undefined || ms === 0) ok = false;
    else trigger.everyMs = ms;
  }
  const at = spec.get('at');
  if (at) {
    const value = r.textValue(at.value, '`at`', at.key.span);
    const parsed = value === undefined ? undefined : parseAt(value.value, zone);
    if (value !== undefined && typeof parsed === 'object') r.error('invalid-trigger', value.span, parsed.error);
    if (typeof parsed === 'number') trigger.atMs = parsed;
    else ok = false;
  }
  const always = spec.get('always');
  if (always) {
    const value = r.boolean(always.value, '`always`');
    if (value === false) r.error('invalid-trigger', always.value?.span ?? always.key.span, l10n.t('`always: false` never fires; remove trigger \'{0}\' instead.', name));
    if (value !== true) ok = false;
  }
  const files = spec.get('files');
  if (files) {
    for (const item of r.stringList(files.value, '`files`')) {
      const glob = r.textOf(item);
      if (/^([\\/]|[A-Za-z]:)/.test(glob.value) || glob.value.split(/[\\/]/).includes('..')) {
        r.error('invalid-trigger', glob.span, l10n.t('\'{0}\' leaves the pipeline\'s folder; `files` globs are relative to it and stay inside it.', glob.value));
        ok = false;
      } else trigger.files.push(glob);
    }
    if (trigger.files.length === 0 && ok) {
      r.error('invalid-trigger', files.value?.span ?? files.key.span, l10n.t('`files` needs at least one glob, like "data/**/*.csv".'));
      ok = false;
    }
  }
  const after = spec.get('after');
  if (after) {
    const value = r.textValue(after.value, '`after`', after.key.span);
    if (value === undefined) ok = false;
    else if (!/\.pipeline\.ya?ml$/i.test(value.value.trim())) {
      r.error('invalid-trigger', value.span, l10n.t('`after` names another pipeline file (like extract.pipeline.yaml), not \'{0}\'.', value.value));
      ok = false;
    } else trigger.after = value;
  }
  const status = spec.get('status');
  if (status) {
    const value = r.string(status.value, '`status`', status.key.span);
    if (value !== undefined && (AFTER_STATUS_VALUES as readonly string[]).includes(value)) trigger.afterStatus = value as TriggerDef['afterStatus'];
    else if (value !== undefined) r.error('invalid-value', status.value?.span ?? status.key.span, l10n.t('`status` is one of {0}, not \'{1}\'.', AFTER_STATUS_VALUES.join(', '), value), didYouMean(value, AFTER_STATUS_VALUES));
  }
  trigger.debounceMs = durationOf(r, spec.get('debounce'), '`debounce`') ?? DEFAULT_DEBOUNCE_MS;
  trigger.minGapMs = durationOf(r, spec.get('min_gap'), '`min_gap`') ?? 0;
  trigger.slaMs = durationOf(r, spec.get('sla'), '`sla`');
  trigger.timeoutMs = durationOf(r, spec.get('timeout'), '`timeout`');
  const onTimeout = spec.get('on_timeout');
  if (onTimeout) {
    const value = r.string(onTimeout.value, '`on_timeout`', onTimeout.key.span);
    if (value !== undefined && (ON_TIMEOUT_VALUES as readonly string[]).includes(value)) trigger.onTimeout = value as TriggerDef['onTimeout'];
    else if (value !== undefined) r.error('invalid-value', onTimeout.value?.span ?? onTimeout.key.span, l10n.t('`on_timeout` is one of {0}, not \'{1}\'.', ON_TIMEOUT_VALUES.join(', '), value), didYouMean(value, ON_TIMEOUT_VALUES));
  }
  if (onTimeout && trigger.timeoutMs === undefined) {
    r.diagnostics.push(diagnostic('invalid-trigger', 'warning', onTimeout.key.span, l10n.t('`on_timeout` has no effect without a `timeout` in trigger \'{0}\'.', name)));
  }

  const between = spec.get('between');
  if (between) {
    const value = r.textValue(between.value, '`between`', between.key.span);
    const parsed = value === undefined ? undefined : parseWindow(value.value);
    if (value !== undefined && parsed !== undefined && 'error' in parsed) {
      r.error('invalid-window', value.span, parsed.error);
      ok = false;
    } else if (parsed !== undefined && !('error' in parsed)) trigger.window = parsed;
  }
  const days = spec.get('days');
  if (days) {
    const items = r.stringList(days.value, '`days`');
    if (items.length > 0) {
      const parsed = parseDays(items.map((i) => String(i.value)));
      if ('error' in parsed) {
        r.error('invalid-window', days.value?.span ?? days.key.span, parsed.error);
        ok = false;
      } else trigger.days = parsed;
    }
  }
  readTriggerVariables(r, spec.get('variables'), trigger, pipeline);
  return ok && firesAtAll(r, trigger, spec) ? trigger : undefined;
}

/** A cron no date matches (`0 0 30 2 *`), or a window no fire falls in (`cron: 0 3 * * *` between 09:00-17:00). */
function firesAtAll(r: NodeReader, trigger: TriggerDef, spec: Map<string, YPair>): boolean {
  // An interval always fires at the opening of its (non-empty) window on its (non-empty) days.
  if (trigger.kind !== 'cron') return true;
  const limited = trigger.window !== undefined || trigger.days !== undefined;
  if (!limited && trigger.cron !== undefined && cronSurelyFires(trigger.cron)) return true;
  if (nextFireAfter(trigger, NEVER_FIRES_REFERENCE, {}, limited ? WINDOW_HORIZON_DAYS : NEVER_FIRES_HORIZON_DAYS) !== undefined) return true;
  const pair = spec.get(limited ? (spec.has('between') ? 'between' : 'days') : trigger.kind);
  const at = pair?.value?.span ?? pair?.key.span ?? trigger.nameSpan;
  if (limited) r.error('invalid-window', at, l10n.t('Trigger \'{0}\' never fires: no time of its `{1}` within a year falls inside its `between`/`days` window.', trigger.name, trigger.kind));
  else r.error('invalid-cron', at, l10n.t('The cron of trigger \'{0}\' matches no date, so it never fires.', trigger.name));
  return false;
}

function durationOf(r: NodeReader, pair: YPair | undefined, what: string): number | undefined {
  return pair === undefined ? undefined : r.duration(pair.value, what);
}

function readTriggerVariables(r: NodeReader, pair: YPair | undefined, trigger: TriggerDef, pipeline: Pipeline): void {
  if (pair === undefined) return;
  const map = r.map(pair.value, '`variables`', pair.key.span);
  if (map === undefined) return;
  for (const [name, entry] of r.pairs(map, undefined, `the \`variables\` of trigger '${trigger.name}'`)) {
    if (!VARIABLE_NAME_PATTERN.test(name)) {
      r.error('invalid-value', entry.key.span, l10n.t('Variable name \'{0}\' must be letters, digits and _ (not starting with a digit).', name));
      continue;
    }
    const value = entry.value;
    if (value === undefined || value.kind !== 'scalar' || value.value === null) {
      r.error('invalid-type', value?.span ?? entry.key.span, l10n.t('The value of \'{0}\' for trigger \'{1}\' must be a string, number or boolean.', name, trigger.name));
      continue;
    }
    if (!pipeline.variables.has(name)) {
      const suggestion = didYouMean(name, pipeline.variables.keys());
      r.error('unknown-variable', entry.key.span, l10n.t('Trigger \'{0}\' sets \'{1}\', which is not among the pipeline\'s `variables`.{2}', trigger.name, name, suggestion === undefined ? '' : l10n.t(' Did you mean \'{0}\'?', suggestion)), suggestion);
      continue;
    }
    trigger.variables[name] = value.value;
  }
}

let zoneNames: readonly string[] | undefined;
function timeZones(): readonly string[] {
  zoneNames ??= Intl.supportedValuesOf('timeZone');
  return zoneNames;
}

