// A replay sent through the Responses API (responsesRequest.ts): the request, streamed when the panel
// shows the answer growing, and the Response as the answer the panel shows beside the captured one.
import OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { LlmMessage, LlmUsage, MessagePart, ToolCall } from '../protocol/model';

export interface ResponsesTarget {
  signal?: AbortSignal;
  /** With it, the answer is streamed, and this is called with its text so far as it grows. */
  onText?: (text: string) => void;
}

/** The Response to `request`: streamed when `onText` is given, else asked for whole. */
export function sendResponses(client: OpenAI, request: ResponseCreateParamsNonStreaming, target: ResponsesTarget): Promise<Response> {
  return target.onText ? streamed(client, request, target) : client.responses.create(request, { signal: target.signal });
}

/**
 * The Response, streamed: the text deltas as they come, the Response from the event that ends the stream.
 * A server that streams nothing refuses the request (400, saying so) before any event: it is then asked
 * again for the whole answer at once.
 */
async function streamed(client: OpenAI, request: ResponseCreateParamsNonStreaming, target: ResponsesTarget): Promise<Response> {
  let started = false;
  let text = '';
  try {
    const stream = await client.responses.create({ ...request, stream: true }, { signal: target.signal });
    for await (const event of stream) {
      started = true;
      switch (event.type) {
        case 'response.output_text.delta':
          text += event.delta;
          target.onText?.(text);
          break;
        case 'response.completed':
        case 'response.incomplete':
          return event.response;
        case 'response.failed':
          throw new Error(`The model failed to answer: ${event.response.error?.message ?? 'no reason given'}`);
        case 'error':
          throw new Error(`The stream broke off: ${event.message}`);
      }
    }
    throw new Error('The stream ended before the response was complete.');
  } catch (err) {
    if (!started && err instanceof OpenAI.BadRequestError && /stream/i.test(err.message)) return client.responses.create(request, { signal: target.signal });
    throw err;
  }
}

/**
 * The Response as one assistant message: its text (and refusals), its function calls, its reasoning
 * summary before the text when the model gave one. Built-in tools' items (web search, code) are not
 * shown: the captured answer's recorders keep none of them either.
 */
export function answerOfResponse(response: Response): { messages: LlmMessage[]; model?: string; usage: LlmUsage } {
  // An OpenAI-compatible server may leave out what OpenAI always sends: nothing is taken for granted.
  let text = '';
  const reasoning: string[] = [];
  const calls: ToolCall[] = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) text += part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : '';
    } else if (item.type === 'function_call') calls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
    else if (item.type === 'reasoning') for (const summary of item.summary ?? []) reasoning.push(summary.text);
  }
  const content: string | MessagePart[] = reasoning.length > 0 ? [{ type: 'reasoning', text: reasoning.join('\n\n') }, { type: 'text', text }] : text;
  const message: LlmMessage = { role: 'assistant', content };
  if (calls.length > 0) message.toolCalls = calls;
  // Responses has no finish reason: only a response cut short says why (`max_output_tokens`, `content_filter`).
  const cutShort = response.incomplete_details?.reason ?? (response.status && response.status !== 'completed' ? response.status : undefined);
  if (cutShort) message.finishReason = cutShort;
  const u = response.usage;
  const usage: LlmUsage = {};
  if (u) {
    usage.inputTokens = u.input_tokens;
    usage.outputTokens = u.output_tokens;
    usage.totalTokens = u.total_tokens;
    if (u.input_tokens_details?.cached_tokens) usage.cachedInputTokens = u.input_tokens_details.cached_tokens;
    if (u.output_tokens_details?.reasoning_tokens) usage.reasoningTokens = u.output_tokens_details.reasoning_tokens;
  }
  return { messages: [message], model: response.model || undefined, usage };
}
