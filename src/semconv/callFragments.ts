// What one convention module contributes, and how contributions from several conventions on the
// same span are combined into the contract's LlmCall.
import type { Attributes, Convention, LlmCall, LlmMessage, LlmOperation, LlmParams, LlmUsage } from '../protocol/model';

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
  outputMessages?: LlmMessage[];
  finishReasons?: string[];
  usage?: LlmUsage;
  serverAddress?: string;
  serverPort?: number;
  tool?: Partial<ToolExecution>;
  input?: string;
  output?: string;
}

/** The span as the convention modules see it: attributes plus their keys, listed once by the dispatcher. */
export interface SpanView {
  readonly attributes: Attributes;
  readonly keys: readonly string[];
  readonly name: string;
}

/**
 * Combines fragments in priority order: a field is taken from the first fragment that has it, so later
 * fragments only fill what earlier ones left empty. Params and usage are filled key by key, messages
 * as whole lists (a conversation is not interleaved from two sources). `other` is the weakest
 * operation: any specific one wins over it.
 */
export function mergeFragments(fragments: readonly LlmCallFragment[]): LlmCall {
  const call: LlmCall = {
    operation: 'other',
    params: {},
    inputMessages: [],
    outputMessages: [],
    finishReasons: [],
    usage: {},
    convention: [],
  };
  let operation: LlmOperation | undefined;
  let tool: Partial<ToolExecution> | undefined;
  for (const f of fragments) {
    if (!call.convention.includes(f.convention)) call.convention.push(f.convention);
    if (f.operation && (operation === undefined || operation === 'other')) operation = f.operation;
    call.provider ??= f.provider;
    call.requestModel ??= f.requestModel;
    call.responseModel ??= f.responseModel;
    call.serverAddress ??= f.serverAddress;
    call.serverPort ??= f.serverPort;
    call.input ??= f.input;
    call.output ??= f.output;
    if (f.params) fillKeys(call.params, f.params);
    if (f.usage) fillKeys(call.usage, f.usage);
    if (f.inputMessages?.length && call.inputMessages.length === 0) call.inputMessages = f.inputMessages;
    if (f.outputMessages?.length && call.outputMessages.length === 0) call.outputMessages = f.outputMessages;
    if (f.finishReasons?.length && call.finishReasons.length === 0) call.finishReasons = f.finishReasons;
    if (f.tool) tool = tool ? fillKeys(tool, f.tool) : { ...f.tool };
  }
  if (tool?.name) call.tool = dropUndefined({ name: tool.name, callId: tool.callId, arguments: tool.arguments, result: tool.result });
  call.operation = operation ?? (call.inputMessages.length > 0 || call.outputMessages.length > 0 ? 'chat' : 'other');
  deriveMissing(call);
  return dropUndefined(call);
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
  for (const key of Object.keys(s)) if (t[key] === undefined && s[key] !== undefined) t[key] = s[key];
  return target;
}

function dropUndefined<T extends object>(value: T): T {
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (v[key] === undefined) delete v[key];
  return value;
}
