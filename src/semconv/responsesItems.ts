// OpenAI Responses item lists as messages. A Responses request's `input` is not a list of chat
// messages but of items: messages, and the earlier turns' reasoning, function calls, other tools'
// calls and the app's outputs for them (`function_call_output`, `*_call_output`), as the OpenAI Agents
// SDK and any app that keeps its own history send them back. A response's `output` is the same kinds of
// items. Read as chat messages, every item that is not a message came out as an empty user message.
import type { JsonValue, LlmMessage, MessagePart, ToolCall } from '../protocol/model';
import { asString, isObject, textOf, type JsonObject } from './attributeReaders';
import { assembleMessage, joinMessages, mediaPart, uriOrData } from './messageParts';
import { appendContent, messageFromOpenAi, toolResult } from './openaiMessages';
import { appendToolCallItem } from './responsesToolItems';

/**
 * A list that may hold Responses items — a request's `input`, a recorded conversation — as messages
 * in order. Consecutive items of one model turn (its reasoning, message and calls) are one assistant
 * message, as an answer is; each output the app gave a call is a tool message answering it by its id.
 * Chat messages in the list are read as such.
 */
export function messagesOfItems(list: readonly JsonValue[], defaultRole = 'user'): LlmMessage[] {
  const messages: LlmMessage[] = [];
  let turn: LlmMessage[] = [];
  const endTurn = (): void => {
    const message = joinedTurn(turn);
    if (message) messages.push(message);
    turn = [];
  };
  for (const item of list) {
    const piece = isObject(item) ? modelTurnPiece(item) : undefined;
    if (piece) {
      turn.push(piece);
      continue;
    }
    endTurn();
    const message = isObject(item) ? (toolOutputMessage(item) ?? messageFromOpenAi(item, defaultRole)) : messageFromOpenAi(item, defaultRole);
    if (message) messages.push(message);
  }
  endTurn();
  return messages;
}

/** A response's `output` items (messages, reasoning, function calls, other tools' calls) as its one assistant message. */
export function responsesOutputMessage(items: readonly JsonValue[]): LlmMessage | undefined {
  return joinedTurn(items.filter(isObject).map((item) => modelTurnPiece(item) ?? assembleMessage('assistant', [{ type: 'other', value: item }], [])));
}

/** A turn's pieces as one message; undefined when they say nothing (a reasoning item without a summary). */
function joinedTurn(pieces: readonly LlmMessage[]): LlmMessage | undefined {
  if (pieces.length === 0) return undefined;
  const message = joinMessages(pieces);
  return message.content !== '' || message.toolCalls ? message : undefined;
}

/**
 * What the model said or did in an item, as a piece of its turn: an assistant message item, reasoning, a
 * function call, another tool's call; other typed items without a role (MCP's tool lists and approval
 * requests, references to stored items) as typed parts. Undefined for what the app or the user sent.
 */
function modelTurnPiece(item: JsonObject): LlmMessage | undefined {
  const type = asString(item.type);
  const role = asString(item.role);
  // A chat message (no type) stays one message, as it was recorded.
  if (role !== undefined) return role === 'assistant' && type === 'message' ? messageFromOpenAi(item, 'assistant') : undefined;
  if (type === undefined || isToolOutput(type)) return undefined;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  if (type === 'reasoning') {
    // The summary OpenAI shows; open-weight models served through the API give their reasoning text as content.
    const blocks = Array.isArray(item.summary) && item.summary.length > 0 ? item.summary : Array.isArray(item.content) ? item.content : [];
    for (const block of blocks) if (isObject(block)) parts.push({ type: 'reasoning', text: textOf(block.text) });
  } else if ((type === 'function_call' && !asString(item.name)) || !appendToolCallItem(item, type, parts, toolCalls)) {
    // (A function call without its function's name is no call: shown as the item it is.)
    parts.push({ type: 'other', value: item });
  }
  return assembleMessage('assistant', parts, toolCalls);
}

/** `function_call_output`, and every other tool's `*_call_output`; MCP's approval answer is one too. */
function isToolOutput(type: string): boolean {
  return type.endsWith('_call_output') || type === 'mcp_approval_response';
}

/**
 * The app's output for a call, as a tool message answering it: text, content parts (a screenshot, an
 * image a tool made), or the item itself where its output is neither. Undefined for other items.
 */
function toolOutputMessage(item: JsonObject): LlmMessage | undefined {
  const type = asString(item.type);
  if (type === undefined || !isToolOutput(type)) return undefined;
  const id = asString(item.call_id) ?? asString(item.approval_request_id);
  const output: JsonValue | undefined = type === 'mcp_approval_response' ? { approve: item.approve ?? null, reason: item.reason ?? null } : item.output;
  const parts: MessagePart[] = [];
  const ignored: ToolCall[] = [];
  if (isObject(output) && asString(output.image_url)) {
    // Computer use: the screenshot taken after the action.
    parts.push(mediaPart('image', uriOrData(asString(output.image_url) ?? '')));
  } else if (Array.isArray(output) && output.some((part) => isObject(part) && (part.type === 'input_image' || part.type === 'input_file'))) {
    appendContent(output, parts, ignored);
  } else {
    // Text parts become their text; a shell's outputs (stdout, stderr, exit code) and the rest, their JSON.
    parts.push(toolResult(id, output));
  }
  return assembleMessage('tool', parts, [], id ? { toolCallId: id } : {});
}
