// What the window that owns the store tells the other windows, in owner.json beside the store's lock:
// its process, where its JSON API is, and what its receiver is doing. The last is what lets a follower
// say why nothing new arrives (stopped there, turned off, port busy) instead of looking empty.
// The auth token is never written here: every window reads it from SecretStorage.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../base/isRecord';
import { RECEIVER_STOPPED, type ReceiverStatus, type TransportStatus } from '../protocol/receiverStatus';
import { normalizeHost } from '../receiver/bindAddress';
import { isAlive } from '../store/storeLock';

export interface OwnerInfo {
  pid: number;
  /** The owner's OTLP/HTTP receiver and JSON API, while it listens. */
  httpUrl?: string;
  /** The owner's receiver as its own status bar shows it; `disabled` when spanlight.receiver.enabled is off there. */
  receiver: ReceiverStatus;
}

const OWNER_INFO = 'owner.json';
const STOPPED = RECEIVER_STOPPED.http;

export function writeOwnerInfo(dir: string, info: OwnerInfo): void {
  const path = join(dir, OWNER_INFO);
  // Write then rename: a follower polling the file never reads half of it.
  writeFileSync(`${path}.tmp`, JSON.stringify(info));
  renameSync(`${path}.tmp`, path);
}

/** The live owner's info, or undefined when there is none (or its process is gone). */
export function readOwnerInfo(dir: string): OwnerInfo | undefined {
  let info: Record<string, unknown>;
  try {
    info = JSON.parse(readFileSync(join(dir, OWNER_INFO), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined; // no owner yet, or one that never wrote the file
  }
  if (typeof info.pid !== 'number' || !isAlive(info.pid)) return undefined;
  const receiver = isRecord(info.receiver) ? info.receiver : {};
  return {
    pid: info.pid,
    httpUrl: typeof info.httpUrl === 'string' ? info.httpUrl : undefined,
    // An owner of an earlier version writes no status: its address alone says whether it listens.
    receiver: {
      http: 'http' in receiver ? transportStatus(receiver.http) : typeof info.httpUrl === 'string' ? listeningAt(info.httpUrl) : STOPPED,
      grpc: transportStatus(receiver.grpc),
    },
  };
}

/** Two readings of owner.json that a follower shows alike. */
export function sameOwnerInfo(a: OwnerInfo | undefined, b: OwnerInfo | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function transportStatus(value: unknown): TransportStatus {
  if (!isRecord(value)) return STOPPED;
  switch (value.state) {
    case 'listening':
      return typeof value.host === 'string' && typeof value.port === 'number' ? { state: 'listening', host: value.host, port: value.port } : STOPPED;
    case 'error':
      return { state: 'error', message: typeof value.message === 'string' ? value.message : 'unknown error', portInUse: value.portInUse === true };
    case 'disabled':
      return { state: 'disabled' };
    default:
      return STOPPED;
  }
}

function listeningAt(httpUrl: string): TransportStatus {
  try {
    const url = new URL(httpUrl);
    return { state: 'listening', host: normalizeHost(url.hostname), port: Number(url.port) };
  } catch {
    return STOPPED;
  }
}
