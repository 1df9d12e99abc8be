// What a replay of a model call is made of, shared by the host (src/replay/, src/views/replayPanel.ts)
// and the replay webview: the editable request (a draft), and each run's outcome.
import { isModelCallOperation, type LlmCall, type LlmMessage, type LlmUsage, type ToolCall } from './model';

/** Why a call cannot be replayed; undefined when it can (the detail then offers Replay). */
export function replayRefusal(llm: Pick<LlmCall, 'operation' | 'inputMessages'> | undefined): string | undefined {
  if (!llm || !isModelCallOperation(llm.operation) || llm.operation === 'embeddings') return 'Only a call to a chat or completion model can be replayed.';
  if (llm.inputMessages.length === 0) return 'Its recorder kept no prompt messages (content capture may be off), so there is nothing to send again.';
  return undefined;
}

/** The command that opens a model call's replay: `(traceId, spanId)`, or a span row's menu context (views/viewCommands.ts). */
export const REPLAY_SPAN_COMMAND = 'spanlight.replaySpan';

/** Runs kept per call: in its panel, and in the replay history. */
export const REPLAY_RUNS_KEPT = 10;

/** Roles a Chat Completions request takes. */
export const REPLAY_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type ReplayRole = (typeof REPLAY_ROLES)[number];

/** An image a user message sends: a `data:` URI (the recorded bytes) or the URL it was recorded with. */
export interface ReplayImage {
  url: string;
  mimeType?: string;
}

/** One message of a replay: its text, what the user edits, and the images a user message sends. */
export interface ReplayMessage {
  role: ReplayRole;
  content: string;
  /** A user message's images, sent after its text (they can be removed, not edited). */
  images?: ReplayImage[];
  /** An assistant turn's tool calls, kept as captured (the tool messages after it answer them). */
  toolCalls?: ToolCall[];
  /** A tool message: the call it answers. */
  toolCallId?: string;
}

/** Request parameters a replay form edits; absent: not sent (the endpoint's default). */
export interface ReplayParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string[];
  /** A reasoning model's effort (`minimal`, `low`, `medium`, `high`…), as the provider names it. */
  reasoning_effort?: string;
}

/**
 * The OpenAI API a replay is sent through: Chat Completions, which every OpenAI-compatible server takes,
 * or Responses, which a call recorded through it was made with (some models answer only there).
 */
export const REPLAY_APIS = ['chat', 'responses'] as const;
export type ReplayApi = (typeof REPLAY_APIS)[number];

/**
 * A model call as it will be sent again to an OpenAI-compatible endpoint: a Chat Completions request,
 * converted to a Responses one when sent through that API (the draft is the same either way, so the
 * user can switch).
 */
export interface ReplayDraft {
  /** Absent: `chat` (drafts kept from before the choice existed). */
  api?: ReplayApi;
  /** Base URL of the OpenAI-compatible API, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  messages: ReplayMessage[];
  params: ReplayParams;
  /**
   * The tools offered, as the JSON of Chat Completions' `tools` array ('' for none): edited as text,
   * checked when run.
   */
  tools: string;
  /** Captured `tool_choice` and `response_format`, sent as they were. */
  toolChoice?: unknown;
  responseFormat?: unknown;
  /**
   * The stored response a Responses call continued (`previous_response_id`): the earlier turns, which
   * the server keeps and the recording does not. Sent through Responses only.
   */
  previousResponseId?: string;
}

/** What a run gave: the answer, or why there is none. */
export type ReplayOutcome =
  | {
      ok: true;
      /** The answer's messages (one per choice), in the contract's form. */
      messages: LlmMessage[];
      model?: string;
      usage: LlmUsage;
      /** From the price table (with the user's overrides); absent when it has no price for the model. */
      costUsd?: number;
      latencyMs: number;
    }
  | { ok: false; error: string; latencyMs: number };

/** A finished run, numbered from 1 in its panel. */
export interface ReplayRun {
  id: number;
  /** The request's model and parameters, to label the result with what produced it. */
  model: string;
  /** The saved variant the request was (`name`), or was edited from (`name, edited`); absent: neither. */
  variant?: string;
  outcome: ReplayOutcome;
}

/** A replay's answer as the panel shows it beside the captured one. */
export type ReplayAnswer = Pick<ReplayOriginal, 'messages' | 'model' | 'usage'>;

/** The captured call's answer, shown beside each replay. */
export interface ReplayOriginal {
  messages: LlmMessage[];
  model?: string;
  usage: LlmUsage;
  costUsd?: number;
  latencyMs: number;
}

/** Variants a call keeps at most: each saved by the user, by name (ReplayHistory). */
export const REPLAY_VARIANTS_KEPT = 20;
/** A variant's name, as the user types it, at most this long. */
export const REPLAY_VARIANT_NAME_CHARS = 60;

/** What a run's answer is headed with: its number, and the variant and model that produced it. */
export function replayRunLabel(run: Pick<ReplayRun, 'id' | 'model' | 'variant'>): string {
  return `Replay #${run.id} (${run.variant ? `${run.variant} · ` : ''}${run.model})`;
}
