// OTLP/JSON sent to the receiver over HTTP, the way an app's exporter sends it, from whichever window:
// the sample trace from a window that does not host the receiver (it has no pipeline to feed), and
// every request of an imported file (traceFiles.ts), which so meets the same checks and limits as an
// app's exports.
import { notificationText } from '../base/notificationText';

/** What the receiver kept of an accepted request. */
export interface PostedExport {
  /** Spans or log records it refused (OTLP partial success), with its reason. */
  rejected: number;
  reason?: string;
}

/**
 * POSTs one OTLP/JSON request to `${httpUrl}/v1/${signal}`, with the receiver's bearer token when it has
 * one (as an app must); throws with the receiver's answer when it refuses the request.
 */
export async function postOtlpJson(httpUrl: string, signal: 'traces' | 'logs', json: string, authToken?: string, abort?: AbortSignal): Promise<PostedExport> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authToken) headers.authorization = `Bearer ${authToken}`;
  const response = await fetch(`${httpUrl}/v1/${signal}`, { method: 'POST', headers, body: json, signal: abort });
  const text = await response.text();
  // Whatever listens there wrote the answer, and the error may end up in a notification.
  if (!response.ok) throw new Error(`the receiver at ${httpUrl} answered ${response.status}: ${notificationText(text)}`);
  return partialSuccess(text);
}

function partialSuccess(text: string): PostedExport {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return { rejected: 0 };
  }
  const partial = (answer as { partialSuccess?: Record<string, unknown> } | null)?.partialSuccess;
  const rejected = Number(partial?.rejectedSpans ?? partial?.rejectedLogRecords ?? 0);
  const reason = typeof partial?.errorMessage === 'string' && partial.errorMessage ? notificationText(partial.errorMessage) : undefined;
  return { rejected: Number.isFinite(rejected) ? rejected : 0, ...(reason ? { reason } : {}) };
}
