// When a replay asked for a streamed answer and should ask again for it whole: both APIs' streaming
// (replayRunner.ts for Chat Completions, responsesAnswer.ts for Responses) decide it the same way.
import OpenAI from 'openai';

/**
 * Whether `err` is the server refusing to stream: a 400 that says so, before any chunk or event came
 * (`started`). Some OpenAI-compatible servers stream nothing, or take no `stream_options`.
 */
export function refusedToStream(err: unknown, started: boolean): boolean {
  return !started && err instanceof OpenAI.BadRequestError && /stream/i.test(err.message);
}
