// The run store's public surface: the CLI, the engine and the extension import from here.
export * from './types.ts';
export { openStore, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_LOG_CAP_BYTES } from './openStore.ts';
export { defaultStorePath, STORE_FILE, STORE_FOLDER } from './storePath.ts';
export { availableDrivers } from './openDriver.ts';
export { SCHEMA_VERSION } from './schema.ts';
export { HEARTBEAT_INTERVAL_MS, STALE_HEARTBEAT_MS } from './ownerLiveness.ts';
export { formatBytes } from './logWriter.ts';
export { TriggerStore, type FireRecord, type LeaseInfo, type NewFire } from './triggerStore.ts';
