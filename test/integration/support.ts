// Helpers for the in-host suite: reach the real extension through the `vscode` API and its receiver
// over loopback, exactly as a user's app and the editor do.
import { randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'spanlight.spanlight';

/** Activates Spanlight (activationEvents may not have fired yet when the suite starts). */
export async function activateSpanlight(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  await extension.activate();
  return extension;
}

export function setting<T>(key: string): T {
  const value = vscode.workspace.getConfiguration('spanlight').get<T>(key);
  if (value === undefined) throw new Error(`spanlight.${key} has no value`);
  return value;
}

/** User (global) settings: the test profile's settings.json, the level a user changes. */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('spanlight').update(key, value, vscode.ConfigurationTarget.Global);
}

export const receiverUrl = (port: number): string => `http://127.0.0.1:${port}`;

export interface Health {
  ok: boolean;
  version: string;
  spans: number;
  traces: number;
  indexer?: 'worker' | 'inline' | 'idle';
  forward?: { endpoint: string; state: string; sent: number };
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

export async function health(port: number): Promise<Health> {
  return (await getJson<Health>(`${receiverUrl(port)}/api/health`)).body;
}

export async function postTraces(port: number, body: unknown): Promise<void> {
  const response = await fetch(`${receiverUrl(port)}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`POST /v1/traces answered ${response.status}: ${await response.text()}`);
}

/** Polls `check` until it returns a value other than undefined; the receiver and store settle asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves once something accepts connections on `port`. */
export function untilListening(port: number, what = `the receiver on ${port}`): Promise<true> {
  return eventually(async () => ((await isListening(port)) ? true : undefined), what);
}

/** What most suites need first: the extension active and its HTTP receiver listening. Returns its port. */
export async function readyReceiver(): Promise<number> {
  await activateSpanlight();
  const port = setting<number>('receiver.httpPort');
  await untilListening(port);
  return port;
}

export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
const newSpanId = (): string => randomBytes(8).toString('hex');

export interface TestSpan {
  traceId: string;
  name: string;
  /** Start, in ms since the epoch; the span lasts 5 ms. */
  startMs: number;
  parentName?: string;
  /** OTLP/JSON KeyValues, e.g. `{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }`. */
  attributes?: { key: string; value: unknown }[];
}

/** One OTLP/JSON export request holding `spans`; parents are linked by name within a trace. */
export function otlpRequest(spans: TestSpan[]): unknown {
  const ids = new Map(spans.map((s) => [`${s.traceId}/${s.name}`, newSpanId()]));
  const nanos = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'spanlight-integration' } }] },
      scopeSpans: [{
        scope: { name: 'integration' },
        spans: spans.map((s) => ({
          traceId: s.traceId,
          spanId: ids.get(`${s.traceId}/${s.name}`),
          parentSpanId: s.parentName ? ids.get(`${s.traceId}/${s.parentName}`) : undefined,
          name: s.name,
          kind: 1,
          startTimeUnixNano: nanos(s.startMs),
          endTimeUnixNano: nanos(s.startMs + 5),
          status: { code: 1 },
          attributes: s.attributes,
        })),
      }],
    }],
  };
}
