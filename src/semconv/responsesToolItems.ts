// The items of an OpenAI Responses answer for tools other than the app's own functions: those OpenAI
// runs itself (web search, file search, code interpreter, image generation, remote MCP servers, tool
// search) and those the app runs by other protocols (custom tools, shell, computer use, apply patch).
// Every one is a `*_call` item; each is read as the tool call it is, with its result where the item
// carries one, as GenAI's server tool calls are (structuredMessages.ts). They were raw typed parts. The
// app's own `function_call` items are read the same way (responsesItems.ts).
import type { JsonValue, MessagePart, ToolCall } from '../protocol/model';
import { asString, isObject, type JsonObject } from './attributeReaders';
import { mediaPart } from './messageParts';
import { toolCall, toolResult } from './openaiMessages';

const CALL_SUFFIX = '_call';

/**
 * A Responses item of `type` ending in `_call` (the app's own `function_call` too) appended as a tool call,
 * and its result or picture as parts. False for any other item.
 */
export function appendToolCallItem(item: JsonObject, type: string, parts: MessagePart[], toolCalls: ToolCall[]): boolean {
  if (!type.endsWith(CALL_SUFFIX)) return false;
  // `call_id` is what the app's answer to a client-side call names; OpenAI's own tools have only `id`.
  const id = asString(item.call_id) ?? asString(item.id);
  // MCP and custom tools have their own names; a built-in tool is named by its type (`web_search`).
  const name = asString(item.name) ?? type.slice(0, -CALL_SUFFIX.length);
  toolCalls.push(toolCall(id, name, requestOf(item)));
  const result = resultOf(item);
  if (result !== undefined) parts.push(toolResult(id, result));
  // A generated image comes back whole, as base64.
  const image = type === 'image_generation_call' ? asString(item.result) : undefined;
  if (image) parts.push(mediaPart('image', { data: image, mimeType: imageType(image) }));
  return true;
}

/** What the call asked for: MCP's and custom tools' arguments as sent, a built-in tool's request fields. */
function requestOf(item: JsonObject): JsonValue | undefined {
  if (item.arguments !== undefined && item.arguments !== null) return item.arguments;
  if (typeof item.input === 'string') return item.input;
  // Code interpreter: the code itself reads better than the code as a JSON string.
  if (typeof item.code === 'string') return item.code;
  if (isObject(item.action)) return item.action;
  if (isObject(item.operation)) return item.operation;
  if (Array.isArray(item.queries)) return { queries: item.queries };
  return undefined;
}

/** What the tool gave back, where the item holds it: MCP's output or error, file search's results, code interpreter's logs. */
function resultOf(item: JsonObject): JsonValue | undefined {
  if (typeof item.output === 'string') return item.output;
  const error = asString(item.error);
  if (error) return `Error: ${error}`;
  // File search results (`include: ["file_search_call.results"]`): their texts, one after another.
  if (Array.isArray(item.results) && item.results.length > 0) return item.results;
  if (Array.isArray(item.outputs)) {
    const logs = item.outputs.filter(isObject).map((o) => asString(o.logs)).filter((l) => l !== undefined);
    if (logs.length > 0) return logs.join('\n');
  }
  return undefined;
}

/** The image type base64 bytes start with (the item does not say; the tool's default output is PNG). */
function imageType(base64: string): string {
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('UklGR')) return 'image/webp';
  return 'image/png';
}
