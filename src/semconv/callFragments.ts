// What one convention module contributes, and how contributions from several conventions on the
// same span are combined into the contract's LlmCall.
import type { Attributes, Convention, LlmCall, LlmEvaluation, LlmMessage, LlmOperation, LlmParams, LlmUsage, Scope } from '../protocol/model';

/** A tool execution as the contract records it (`LlmCall.tool`). */
export type ToolExecution = NonNullable<LlmCall['tool']>;

/** Everything a convention could read from a span; absent fields are left for other conventions. */
export interface LlmCallFragment {
  convention: Convention;
  operation?: LlmOperation;
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  params?: LlmParams;
  inputMessages?: LlmMessage[];
  /**
   * System instructions recorded apart from the conversation (`gen_ai.system_instructions` on a span
   * whose messages come from log records): prepended to whichever input list wins, unless it already
   * starts with the same instructions.
   */
  systemMessage?: LlmMessage;
  outputMessages?: LlmMessage[];
  finishReasons?: string[];
  usage?: LlmUsage;
  serverAddress?: string;
  serverPort?: number;
  tool?: Partial<ToolExecution>;
  input?: string;
  output?: string;
  reportedCostUsd?: number;
  timeToFirstTokenMs?: number;
  evaluations?: LlmEvaluation[];
  /**
   * The convention knows what the message attributes of the span hold (Gemini CLI writes its own shapes
   * under GenAI's names): the fragments after it do not read messages from them, even where it found none.
   */
  ownsMessages?: boolean;
}

/** The span as the convention modules see it: attributes plus their keys, listed once by the dispatcher. */
export interface SpanView {
  readonly attributes: Attributes;
  readonly keys: readonly string[];
  readonly name: string;
  /** For times a convention records as moments rather than durations (firstToken.ts). */
  readonly startTimeUnixNano: string;
  readonly durationMs: number;
  /** The instrumentation that recorded the span, for what one of them writes its own way (genai.ts). */
  readonly scope: Scope;
}

/**
 * The operation of a call whose recorder named none (older GenAI instrumentations, frameworks that set
 * only `gen_ai.system`, the model and usage): token usage is only reported for a request to a model, so
 * such a span is one, and counts in its trace's calls, tokens and cost. Otherwise `other`.
 */
function inferredOperation(usage: LlmUsage, model: string | undefined): LlmOperation {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return 'other';
  return model !== undefined && /embed/i.test(model) ? 'embeddings' : 'chat';
}

/**
 * Combines fragments in priority order: a field is taken from the first fragment that has it, so later
 * fragments only fill what earlier ones left empty. Params and usage are filled key by key, messages
 * as whole lists (a conversation is not interleaved from two sources). `other` is the weakest
 * operation: any specific one wins over it.
 */
export function mergeFragments(fragments: readonly LlmCallFragment[]): LlmCall {
  const convention: Convention[] = [];
  const params: LlmParams = {};
  const usage: LlmUsage = {};
  let inputMessages: LlmMessage[] = [];
  let outputMessages: LlmMessage[] = [];
  let finishReasons: string[] = [];
  let operation: LlmOperation | undefined;
  let provider: string | undefined;
  let requestModel: string | undefined;
  let responseModel: string | undefined;
  let serverAddress: string | undefined;
  let serverPort: number | undefined;
  let input: string | undefined;
  let output: string | undefined;
  let tool: Partial<ToolExecution> | undefined;
  let systemMessage: LlmMessage | undefined;
  let reportedCostUsd: number | undefined;
  let timeToFirstTokenMs: number | undefined;
  let messagesOwned = false;
  // From every source, not the first: span events and log records may each carry some.
  const evaluations: LlmEvaluation[] = [];
  for (const f of fragments) {
    if (f.evaluations) evaluations.push(...f.evaluations);
    if (!convention.includes(f.convention)) convention.push(f.convention);
    if (f.operation && (operation === undefined || operation === 'other')) operation = f.operation;
    provider ??= f.provider;
    requestModel ??= f.requestModel;
    responseModel ??= f.responseModel;
    serverAddress ??= f.serverAddress;
    serverPort ??= f.serverPort;
    input ??= f.input;
    output ??= f.output;
    reportedCostUsd ??= f.reportedCostUsd;
    timeToFirstTokenMs ??= f.timeToFirstTokenMs;
    if (f.params) fillKeys(params, f.params);
    if (f.usage) fillKeys(usage, f.usage);
    if (!messagesOwned) {
      if (f.inputMessages?.length && inputMessages.length === 0) inputMessages = f.inputMessages;
      systemMessage ??= f.systemMessage;
      if (f.outputMessages?.length && outputMessages.length === 0) outputMessages = f.outputMessages;
      messagesOwned = f.ownsMessages === true;
    }
    if (f.finishReasons?.length && finishReasons.length === 0) finishReasons = f.finishReasons;
    if (f.tool) tool = tool ? fillKeys(tool, f.tool) : { ...f.tool };
  }
  if (systemMessage && !startsWithSame(inputMessages, systemMessage)) inputMessages = [systemMessage, ...inputMessages];
  operation ??= inputMessages.length > 0 || outputMessages.length > 0 ? 'chat' : inferredOperation(usage, responseModel ?? requestModel);
  // Built field by field (no `delete`): absent fields stay absent, and the object keeps one shape.
  const call: LlmCall = { operation, params, inputMessages, outputMessages, finishReasons, usage, convention };
  if (provider !== undefined) call.provider = provider;
  if (requestModel !== undefined) call.requestModel = requestModel;
  if (responseModel !== undefined) call.responseModel = responseModel;
  if (serverAddress !== undefined) call.serverAddress = serverAddress;
  if (serverPort !== undefined) call.serverPort = serverPort;
  if (input !== undefined) call.input = input;
  if (output !== undefined) call.output = output;
  if (reportedCostUsd !== undefined) call.reportedCostUsd = reportedCostUsd;
  if (timeToFirstTokenMs !== undefined) call.timeToFirstTokenMs = timeToFirstTokenMs;
  if (evaluations.length > 0) call.evaluations = evaluations;
  if (tool?.name) {
    const t: ToolExecution = { name: tool.name };
    if (tool.callId !== undefined) t.callId = tool.callId;
    if (tool.arguments !== undefined) t.arguments = tool.arguments;
    if (tool.result !== undefined) t.result = tool.result;
    call.tool = t;
  }
  deriveMissing(call);
  return call;
}

function startsWithSame(messages: readonly LlmMessage[], system: LlmMessage): boolean {
  const first = messages[0];
  return first !== undefined && first.role === system.role && JSON.stringify(first.content) === JSON.stringify(system.content);
}

/** Fields the spec says to derive: total tokens, and finish reasons ↔ output messages. */
function deriveMissing(call: LlmCall): void {
  const { usage } = call;
  if (usage.totalTokens === undefined && usage.inputTokens !== undefined && usage.outputTokens !== undefined) {
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  }
  const outputs = call.outputMessages;
  if (call.finishReasons.length === 0) {
    for (const m of outputs) if (m.finishReason) call.finishReasons.push(m.finishReason);
  } else if (call.finishReasons.length === outputs.length) {
    for (let i = 0; i < outputs.length; i++) outputs[i].finishReason ??= call.finishReasons[i];
  }
}

function fillKeys<T extends object>(target: T, source: T): T {
  const t = target as Record<string, unknown>;
  const s = source as Record<string, unknown>;
  for (const key of Object.keys(s)) if (t[key] === undefined && s[key] !== undefined && key !== '__proto__') t[key] = s[key];
  return target;
}
