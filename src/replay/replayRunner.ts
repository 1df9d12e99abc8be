// Sends a replay's request with the official `openai` SDK, to any OpenAI-compatible endpoint, and
// turns its answer (or its failure) into what the replay panel shows. No vscode here: the key comes
// from the caller (SecretStorage, see replayKeys.ts), and tests run it against a fake server.
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { LlmMessage, LlmUsage, ToolCall } from '../protocol/model';
import type { ReplayOutcome } from '../protocol/replay';

/** A replay is interactive: one retry of what the SDK retries (429, 5xx, a dropped connection), then it says why. */
const MAX_RETRIES = 1;
/** A reasoning model may think for minutes; past this the user is better told than kept waiting. */
export const REPLAY_TIMEOUT_MS = 5 * 60_000;

export interface ReplayTarget {
  baseUrl: string;
  apiKey: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function runChatReplay(request: ChatCompletionCreateParamsNonStreaming, target: ReplayTarget): Promise<ReplayOutcome> {
  const started = performance.now();
  const client = new OpenAI({ baseURL: target.baseUrl, apiKey: target.apiKey, maxRetries: MAX_RETRIES, timeout: target.timeoutMs ?? REPLAY_TIMEOUT_MS });
  try {
    const completion = await client.chat.completions.create(request, { signal: target.signal });
    return { ok: true, ...answerOf(completion), latencyMs: performance.now() - started };
  } catch (err) {
    return { ok: false, error: failureText(err, target.baseUrl), latencyMs: performance.now() - started };
  }
}

function answerOf(completion: ChatCompletion): { messages: LlmMessage[]; model?: string; usage: LlmUsage } {
  // An OpenAI-compatible server may leave out what OpenAI always sends: nothing is taken for granted.
  const messages = (completion.choices ?? []).map((choice): LlmMessage => {
    const message = choice.message;
    const out: LlmMessage = { role: message?.role ?? 'assistant', content: message?.content ?? message?.refusal ?? '' };
    const calls: ToolCall[] = [];
    for (const call of message?.tool_calls ?? []) {
      if (call.type === 'function') calls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
    if (calls.length > 0) out.toolCalls = calls;
    if (choice.finish_reason) out.finishReason = choice.finish_reason;
    return out;
  });
  const u = completion.usage;
  const usage: LlmUsage = {};
  if (u) {
    usage.inputTokens = u.prompt_tokens;
    usage.outputTokens = u.completion_tokens;
    usage.totalTokens = u.total_tokens;
    if (u.prompt_tokens_details?.cached_tokens) usage.cachedInputTokens = u.prompt_tokens_details.cached_tokens;
    if (u.completion_tokens_details?.reasoning_tokens) usage.reasoningTokens = u.completion_tokens_details.reasoning_tokens;
  }
  return { messages, model: completion.model || undefined, usage };
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
