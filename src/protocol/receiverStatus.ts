// What the status bar and the sidebar show about the receiver: this window's, or in a follower window
// the owner's (from owner.json).

export type TransportStatus =
  | { state: 'stopped' }
  | { state: 'disabled' }
  | { state: 'listening'; host: string; port: number }
  | { state: 'error'; message: string; portInUse?: boolean };

export interface ReceiverStatus {
  http: TransportStatus;
  grpc: TransportStatus;
}

/** Neither transport runs: before a start, after a stop, or no owner window known. Shared: never written to. */
export const RECEIVER_STOPPED: ReceiverStatus = Object.freeze({ http: Object.freeze({ state: 'stopped' }), grpc: Object.freeze({ state: 'stopped' }) });
