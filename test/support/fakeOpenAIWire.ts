// HTTP and SSE plumbing shared by the fake OpenAI endpoints, and narrowing of untyped JSON from the wire.
import type { ServerResponse } from 'node:http';

/** A JSON object from the wire, narrowed field by field where used. */
export type JsonObject = Record<string, unknown>;

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** One SSE event; the Responses API names its events, Chat Completions does not. */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

/** Word-sized pieces, the way a model streams (keeps the spaces so the pieces join back to the text). */
export function splitForStreaming(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [''];
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('');
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
