// The conversation of an LLM call as chat bubbles: what went in (system, user, assistant turns, tool
// results) and what came out, each with its role colour, tool calls, parts and a copy button.
import type { LlmCall, LlmMessage } from '../../../src/protocol/model';
import { el } from '../shared/dom';
import { copyButton, section, type Post } from './common';
import { renderPart, renderToolCall } from './messageParts';

const KNOWN_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** The message as plain text for the clipboard. */
export function messageText(message: LlmMessage): string {
  const parts: string[] = [];
  if (typeof message.content === 'string') parts.push(message.content);
  else {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') parts.push(part.text);
      else if (part.type === 'tool_result') parts.push(part.result);
      else if (part.type === 'tool_call') parts.push(`${part.name}(${part.arguments})`);
      else if (part.type === 'other') parts.push(JSON.stringify(part.value));
      else parts.push(`[${part.type}${part.mimeType ? ` ${part.mimeType}` : ''}${part.uri ? ` ${part.uri}` : ''}]`);
    }
  }
  for (const call of message.toolCalls ?? []) parts.push(`${call.name}(${call.arguments})`);
  return parts.join('\n\n');
}

export function renderMessage(message: LlmMessage, direction: 'input' | 'output', post: Post): HTMLElement {
  const role = String(message.role || 'unknown');
  const roleClass = KNOWN_ROLES.has(role) ? role : 'other';
  const head = el('div', { className: 'bubble-head' }, [
    el('span', { className: 'role', testId: 'message-role', text: role }),
    message.name ? el('span', { className: 'muted', text: message.name }) : '',
    message.toolCallId ? el('span', { className: 'muted', text: `↩ ${message.toolCallId}` }) : '',
    message.finishReason ? el('span', { className: 'badge', testId: 'message-finish-reason', text: message.finishReason }) : '',
    el('span', { className: 'spacer' }),
    copyButton(messageText(message), `${role} message`, post, 'copy-message'),
  ]);
  const body = el('div', { className: 'bubble-body' });
  if (typeof message.content === 'string') {
    if (message.content !== '') body.append(renderPart({ type: 'text', text: message.content }, post));
  } else {
    // Images side by side, in a row that wraps: a message may carry twenty, which stacked made a
    // column thousands of pixels long.
    let gallery: HTMLElement | undefined;
    for (const part of message.content) {
      const node = renderPart(part, post);
      if (part.type !== 'image') {
        gallery = undefined;
        body.append(node);
        continue;
      }
      if (!gallery) body.append((gallery = el('div', { className: 'media-gallery', testId: 'media-gallery' })));
      gallery.append(node);
    }
  }
  for (const call of message.toolCalls ?? []) body.append(renderToolCall(call, post));
  const bubble = el('div', { className: `bubble role-${roleClass} ${direction}`, testId: 'chat-message' }, [head, body]);
  bubble.dataset.role = role;
  bubble.dataset.direction = direction;
  return bubble;
}

export function renderConversation(llm: LlmCall, post: Post): HTMLElement | undefined {
  if (llm.inputMessages.length === 0 && llm.outputMessages.length === 0) return undefined;
  const children: HTMLElement[] = [];
  for (const m of llm.inputMessages) children.push(renderMessage(m, 'input', post));
  if (llm.outputMessages.length > 0) {
    children.push(el('div', { className: 'divider', text: 'Response' }));
    for (const m of llm.outputMessages) children.push(renderMessage(m, 'output', post));
  }
  const all = [...llm.inputMessages, ...llm.outputMessages].map((m) => `[${m.role}]\n${messageText(m)}`).join('\n\n');
  return section(`Conversation (${llm.inputMessages.length} in, ${llm.outputMessages.length} out)`, 'conversation', [el('div', { className: 'chat' }, children)], {
    actions: [copyButton(all, 'conversation', post, 'copy-conversation')],
  });
}
