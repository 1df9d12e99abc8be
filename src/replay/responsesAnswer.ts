// A replay sent through the Responses API (responsesRequest.ts): the request, streamed when the panel
// shows the answer growing, and the Response as the answer the panel shows beside the captured one.
import OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { JsonValue } from '../protocol/model';
import type { ReplayAnswer } from '../protocol/replay';
import { outputFromResponse, usageFrom } from '../semconv/requestBodies';
import { refusedToStream } from './streamRefusal';

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
    if (refusedToStream(err, started)) return client.responses.create(request, { signal: target.signal });
    throw err;
  }
}

/**
 * The Response as the answer beside the captured one, read by the reader of recorded response bodies
 * (text and refusals, function calls, reasoning summaries, other items as they are; usage), so that
 * both sides are read alike. One message, even for a response that has no output.
 */
export function answerOfResponse(response: Response): ReplayAnswer {
  // (An SDK object is the JSON the server sent.)
  const message = outputFromResponse(response as unknown as JsonValue).messages[0] ?? { role: 'assistant', content: '' };
  // Responses has no finish reason: only a response cut short says why (`max_output_tokens`, `content_filter`).
  const cutShort = response.incomplete_details?.reason ?? (response.status && response.status !== 'completed' ? response.status : undefined);
  if (cutShort) message.finishReason = cutShort;
  return { messages: [message], model: response.model || undefined, usage: usageFrom(response.usage as unknown as JsonValue) };
}
