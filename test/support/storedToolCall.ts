// An app's first Responses call to a fake server, which stores it: the model asks for track_parcel. What a
// recorded continuation (`previous_response_id`) continues, for the replay tests. Sent with the real SDK.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

/** track_parcel's schema, as the Responses API takes a function tool. */
export const TRACK_PARCEL_PARAMETERS = { type: 'object', properties: { parcel: { type: 'integer' } }, required: ['parcel'] };

/** The stored response's id and the id of the call it made. */
export async function storedToolCall(baseURL: string): Promise<{ responseId: string; callId: string }> {
  const first = await new OpenAI({ baseURL, apiKey: 'sk-test' }).responses.create({
    model: 'gpt-4o-mini',
    input: 'Where is parcel 12?',
    tools: [{ type: 'function', name: 'track_parcel', parameters: TRACK_PARCEL_PARAMETERS, strict: false }],
  });
  const call = first.output.find((item) => item.type === 'function_call');
  assert.ok(call, 'the fake calls the tool it is offered');
  return { responseId: first.id, callId: call.call_id };
}
