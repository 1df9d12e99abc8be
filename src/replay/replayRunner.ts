// Sends a replay's request with the official `openai` SDK, to any OpenAI-compatible endpoint, through
// Chat Completions or Responses (responsesAnswer.ts), and turns its answer (or its failure) into what
// the replay panel shows. No vscode here: the key comes from the caller (SecretStorage, see
// replayKeys.ts), and tests run it against a fake server.
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { JsonValue } from '../protocol/model';
import type { ReplayAnswer, ReplayOutcome } from '../protocol/replay';
import { outputFromResponse, usageFrom } from '../semconv/requestBodies';
import type { ReplayRequest } from './replayDraft';
import { answerOfResponse, sendResponses } from './responsesAnswer';
import { refusedToStream } from './streamRefusal';

/** A replay is interactive: one retry of what the SDK retries (429, 5xx, a dropped connection), then it says why. */
const MAX_RETRIES = 1;
/** A reasoning model may think for minutes; past this the user is better told than kept waiting. */
export const REPLAY_TIMEOUT_MS = 5 * 60_000;

export interface ReplayTarget {
  baseUrl: string;
  apiKey: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * With it, the answer is streamed and this is called with its text so far (the first choice's) as
   * it grows: a slow model shows it is answering. The outcome is the same as without.
   */
  onText?: (text: string) => void;
}

/** Sends `request` through the API it names. */
export function runReplay(request: ReplayRequest, target: ReplayTarget): Promise<ReplayOutcome> {
  return request.api === 'responses' ? runResponsesReplay(request.body, target) : runChatReplay(request.body, target);
}

export function runChatReplay(request: ChatCompletionCreateParamsNonStreaming, target: ReplayTarget): Promise<ReplayOutcome> {
  return timedRun(target, async (client) => {
    const send = (params: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion> =>
      target.onText ? streamed(client, params, target) : client.chat.completions.create(params, { signal: target.signal });
    try {
      return answerOf(await send(request));
    } catch (err) {
      const renamed = withCompletionTokens(request, err);
      if (!renamed) throw err;
      return answerOf(await send(renamed));
    }
  });
}

export function runResponsesReplay(request: ResponseCreateParamsNonStreaming, target: ReplayTarget): Promise<ReplayOutcome> {
  return timedRun(target, async (client) => answerOfResponse(await sendResponses(client, request, target)));
}

/** The outcome of `ask` with a client for `target`: its answer, or why there is none, and how long it took. */
async function timedRun(target: ReplayTarget, ask: (client: OpenAI) => Promise<ReplayAnswer>): Promise<ReplayOutcome> {
  const started = performance.now();
  const client = new OpenAI({ baseURL: target.baseUrl, apiKey: target.apiKey, maxRetries: MAX_RETRIES, timeout: target.timeoutMs ?? REPLAY_TIMEOUT_MS });
  try {
    return { ok: true, ...(await ask(client)), latencyMs: performance.now() - started };
  } catch (err) {
    return { ok: false, error: failureText(err, target.baseUrl), latencyMs: performance.now() - started };
  }
}

/**
 * The request with its output limit as `max_completion_tokens`, when the endpoint refused `max_tokens`
 * for it: OpenAI's reasoning models (o-series, GPT-5) take only the newer name, and say so in a 400.
 * Recorders keep the limit as `max_tokens` whatever the app sent.
 */
function withCompletionTokens(request: ChatCompletionCreateParamsNonStreaming, err: unknown): ChatCompletionCreateParamsNonStreaming | undefined {
  if (request.max_tokens === undefined || request.max_tokens === null) return undefined;
  if (!(err instanceof OpenAI.BadRequestError) || !/max_completion_tokens/.test(err.message)) return undefined;
  const { max_tokens: limit, ...rest } = request;
  return { ...rest, max_completion_tokens: limit };
}

/**
 * The completion, streamed. A server that streams no answer or takes no `stream_options` refuses the
 * request (400, saying so) before any chunk: it is then asked again for the whole answer at once.
 */
async function streamed(client: OpenAI, request: ChatCompletionCreateParamsNonStreaming, target: ReplayTarget): Promise<ChatCompletion> {
  const answer = new StreamedAnswer();
  try {
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }, { signal: target.signal });
    for await (const chunk of stream) {
      answer.add(chunk);
      if (chunk.choices?.some((c) => c.index === 0 && c.delta?.content)) target.onText?.(answer.text());
    }
    return answer.completion();
  } catch (err) {
    if (refusedToStream(err, answer.started)) return client.chat.completions.create(request, { signal: target.signal });
    throw err;
  }
}

/** A streamed answer put back together: each choice's text, refusal and tool calls (by index), finish reason, usage. */
class StreamedAnswer {
  started = false;
  private id = '';
  private model = '';
  private created = 0;
  private usage: ChatCompletion['usage'];
  private readonly choices = new Map<number, { content: string; refusal: string; finish: ChatCompletion.Choice['finish_reason'] | null; calls: Map<number, { id: string; name: string; arguments: string }> }>();

  add(chunk: ChatCompletionChunk): void {
    this.started = true;
    this.id ||= chunk.id ?? '';
    this.model ||= chunk.model ?? '';
    this.created ||= chunk.created ?? 0;
    if (chunk.usage) this.usage = chunk.usage;
    for (const c of chunk.choices ?? []) {
      let choice = this.choices.get(c.index);
      if (!choice) this.choices.set(c.index, (choice = { content: '', refusal: '', finish: null, calls: new Map() }));
      choice.content += c.delta?.content ?? '';
      choice.refusal += c.delta?.refusal ?? '';
      if (c.finish_reason) choice.finish = c.finish_reason;
      for (const delta of c.delta?.tool_calls ?? []) {
        let call = choice.calls.get(delta.index);
        if (!call) choice.calls.set(delta.index, (call = { id: '', name: '', arguments: '' }));
        call.id ||= delta.id ?? '';
        call.name += delta.function?.name ?? '';
        call.arguments += delta.function?.arguments ?? '';
      }
    }
  }

  /** The first choice's text so far. */
  text(): string {
    return this.choices.get(0)?.content ?? '';
  }

  completion(): ChatCompletion {
    const choices = [...this.choices.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, c]): ChatCompletion.Choice => {
        const calls = [...c.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
        return {
          index,
          // (None when the stream ended without one: then none is shown, rather than one made up.)
          finish_reason: c.finish as ChatCompletion.Choice['finish_reason'],
          logprobs: null,
          message: { role: 'assistant', content: c.content || null, refusal: c.refusal || null, ...(calls.length > 0 ? { tool_calls: calls } : {}) },
        };
      });
    return { id: this.id, object: 'chat.completion', created: this.created, model: this.model, choices, ...(this.usage ? { usage: this.usage } : {}) };
  }
}

/**
 * The completion as the answer beside the captured one, read by the reader of recorded response bodies
 * (one message per choice, tool calls, refusals, usage), so that both sides are read alike.
 */
function answerOf(completion: ChatCompletion): ReplayAnswer {
  // (An SDK object is the JSON the server sent.)
  const { messages } = outputFromResponse(completion as unknown as JsonValue);
  return { messages, model: completion.model || undefined, usage: usageFrom(completion.usage as unknown as JsonValue) };
}

/** Why a run failed, in words the user can act on. The key is never part of it. */
function failureText(err: unknown, baseUrl: string): string {
  if (err instanceof OpenAI.APIUserAbortError) return 'Cancelled.';
  if (err instanceof OpenAI.APIConnectionTimeoutError) return `${baseUrl} did not answer in time.`;
  if (err instanceof OpenAI.APIConnectionError) {
    const cause = (err as { cause?: { message?: string; code?: string } }).cause;
    return `Could not reach ${baseUrl}${cause?.code || cause?.message ? ` (${cause.code ?? cause.message})` : ''}. Check the base URL, or that the server is running.`;
  }
  if (err instanceof OpenAI.APIError) {
    const hint =
      err.status === 401 || err.status === 403
        ? ' Check the API key ("Spanlight: Forget Replay API Keys" asks for it again).'
        : err.status === 404
          ? ' Check the base URL and the model name.'
          : '';
    return `${baseUrl} answered ${err.status ?? 'with an error'}: ${apiMessage(err)}${hint}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The provider's own message (OpenAI's error JSON), not the SDK's "400 status code (no body)" prefix. */
function apiMessage(err: InstanceType<typeof OpenAI.APIError>): string {
  const body = err.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  return err.message.replace(/^\d{3}\s+/, '') || 'no message';
}
