import { hostname, uptime } from 'node:os';

/** How often the store refreshes heartbeat_at of the runs its process owns. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/** A run owned on another host is presumed dead after this long without a heartbeat. */
export const STALE_HEARTBEAT_MS = 60_000;

export interface RunOwner {
  ownerPid: number;
  ownerHost: string;
  heartbeatAt: number;
}

/**
 * Whether the process that owns a run is certainly gone. On this host the pid is asked directly
 * (a heartbeat older than the last boot means the pid, if alive, belongs to someone else now); on
 * another host (a shared folder) only the heartbeat can tell.
 */
export function isOwnerGone(owner: RunOwner, now = Date.now()): boolean {
  if (owner.ownerHost !== hostname()) return now - owner.heartbeatAt > STALE_HEARTBEAT_MS;
  const bootedAt = now - uptime() * 1000;
  if (owner.heartbeatAt < bootedAt - 1000) return true;
  // kill(0 or negative) would signal process groups rather than test one process.
  if (!Number.isInteger(owner.ownerPid) || owner.ownerPid <= 0) return true;
  if (owner.ownerPid === process.pid) return false;
  try {
    process.kill(owner.ownerPid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, but another user's process.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
