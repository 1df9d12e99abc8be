// Genkit (firebase/genkit: JS, Go, Python) traces every action it runs with its own attributes: `genkit:type`
// (`action`, `flow`, `flowStep`, `util`), `genkit:metadata:subtype` (what the action is: `model`, `tool`,
// `flow`, `embedder`, `retriever`, `prompt`, `agent`…), `genkit:name` (the action's name: a model's is
// `<plugin>/<model>`, `googleai/gemini-2.5-flash`), and `genkit:input` / `genkit:output`, the JSON of
// what went in and came out (its Dev UI reads these). A model action's input is Genkit's GenerateRequest
// `{messages: [{role, content: [parts]}], config, tools}` and its output the GenerateResponse `{message,
// finishReason, usage}` (before 1.0: `candidates: [{message, finishReason}]`): the usage is only there.
import type { JsonValue, LlmMessage, LlmOperation, MessagePart, ToolCall } from '../protocol/model';
import { asNumber, asString, isObject, presentText, readJson, textOf, type JsonObject } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { geminiUsage, type GeminiTokenCounts } from './geminiContent';
import { assembleMessage, mediaKind, mediaPart, uriOrData } from './messageParts';
import { appendContent, toolCall, toolResult } from './openaiMessages';
import { paramsFromRequest } from './requestBodies';
import { documentsText, type RetrievedDocument } from './retrievedDocuments';
import { toolDefinitionsFrom } from './toolDefinitions';

export const GENKIT_PREFIX = 'genkit:';

/** Its JSON attribute that holds a model call's usage (see CALL_FIELDS_IN_JSON in index.ts). */
export const GENKIT_CALL_FIELDS_IN_JSON = ['genkit:output'];

export function normalizeGenkit(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const subtype = asString(a['genkit:metadata:subtype']);
  const type = asString(a['genkit:type']);
  const operation = operationOf(subtype, type);
  if (!operation) return undefined;
  const fragment: LlmCallFragment = { convention: 'genkit', operation };
  const name = asString(a['genkit:name']);
  const input = a['genkit:input'];
  const output = a['genkit:output'];

  if (operation === 'chat') {
    if (name) {
      fragment.requestModel = name;
      fragment.provider = providerOf(name);
    }
    readModelCall(fragment, readJson(input), readJson(output));
  } else if (operation === 'tool') {
    fragment.tool = { name: name ?? view.name, arguments: presentText(input), result: presentText(output) };
    return fragment;
  } else if (operation === 'embeddings' && name) {
    fragment.requestModel = name;
    fragment.provider = providerOf(name);
  } else if (operation === 'retrieval') {
    const parsed = readJson(output);
    const documents = parsed?.ok && isObject(parsed.value) && Array.isArray(parsed.value.documents) ? parsed.value.documents : undefined;
    const text = documents && documentsText(documents.map(genkitDocument));
    if (text) fragment.output = text;
  }
  if (!fragment.inputMessages) fragment.input = presentText(input);
  if (!fragment.outputMessages && fragment.output === undefined) fragment.output = presentText(output);
  return fragment;
}

/** The action's subtype says what it is; a flow's steps (`ai.run`) and Genkit's utilities (`generate`) are steps of their flow. */
function operationOf(subtype: string | undefined, type: string | undefined): LlmOperation | undefined {
  switch (subtype) {
    case 'model':
    case 'background-model':
      return 'chat';
    case 'tool':
    case 'tool.v2':
      return 'tool';
    case 'embedder':
      return 'embeddings';
    case 'retriever':
      return 'retrieval';
    case 'reranker':
      return 'rerank';
    case 'agent':
      return 'agent';
    case undefined:
      break;
    default:
      // Flows, prompts, indexers, evaluators and the actions plugins define.
      return 'workflow';
  }
  return type === 'flow' || type === 'flowStep' || type === 'util' || type === 'action' ? 'workflow' : undefined;
}

/** The plugin's part of a model name (`googleai/…`), as GenAI names providers. */
const PROVIDER_BY_PLUGIN: Readonly<Record<string, string>> = {
  googleai: 'gcp.gemini',
  vertexai: 'gcp.vertex_ai',
  openai: 'openai',
  anthropic: 'anthropic',
  ollama: 'ollama',
  'compat-oai': 'openai',
  mistral: 'mistral_ai',
  deepseek: 'deepseek',
  xai: 'x_ai',
  groq: 'groq',
};

function providerOf(model: string): string | undefined {
  const slash = model.indexOf('/');
  const plugin = slash > 0 ? model.slice(0, slash).toLowerCase() : undefined;
  return plugin !== undefined && Object.hasOwn(PROVIDER_BY_PLUGIN, plugin) ? PROVIDER_BY_PLUGIN[plugin] : undefined;
}

/** GenerateRequest → messages, params and tools; GenerateResponse → the answer, finish reason, usage and the model that answered. */
function readModelCall(fragment: LlmCallFragment, input: ReturnType<typeof readJson>, output: ReturnType<typeof readJson>): void {
  const request = input?.ok && isObject(input.value) ? input.value : undefined;
  if (request) {
    const messages = Array.isArray(request.messages) ? request.messages.map((m) => genkitMessage(m, 'user')).filter((m) => m !== undefined) : [];
    if (messages.length > 0) fragment.inputMessages = messages;
    const params = isObject(request.config) ? paramsFromRequest(request.config) : {};
    const tools = toolDefinitionsFrom(request.tools ?? null);
    if (tools.length > 0) params.tools = tools;
    if (Object.keys(params).length > 0) fragment.params = params;
  }
  const response = output?.ok && isObject(output.value) ? output.value : undefined;
  if (!response) return;
  // 1.x: one `message` and its `finishReason`; before: `candidates`.
  const candidates = Array.isArray(response.candidates) ? response.candidates.filter(isObject) : [response];
  const answers: LlmMessage[] = [];
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const message = genkitMessage(candidate.message ?? null, 'assistant');
    const reason = asString(candidate.finishReason);
    if (reason) reasons.push(reason);
    if (!message) continue;
    if (reason) message.finishReason = reason;
    answers.push(message);
  }
  if (answers.length > 0) fragment.outputMessages = answers;
  if (reasons.length > 0) fragment.finishReasons = reasons;
  if (isObject(response.usage)) fragment.usage = usageOf(response.usage, fragment.provider === 'gcp.gemini' || fragment.provider === 'gcp.vertex_ai');
  // The request names the model the caller asked for; a response may say which version answered.
  const custom = isObject(response.custom) ? response.custom : undefined;
  fragment.responseModel = asString(custom?.modelVersion) ?? asString(response.model);
}

/**
 * GenerationUsage: `{inputTokens, outputTokens, totalTokens, thoughtsTokens, cachedContentTokens}`: Gemini's
 * counts under Genkit's names. Gemini's plugins count the thoughts apart from the output, as the Gemini API
 * does, and Gemini bills them as output (`thoughtsBilledApart`: geminiUsage adds them); other plugins'
 * output already holds their reasoning, which is only reported beside it.
 */
function usageOf(usage: JsonObject, thoughtsBilledApart: boolean): NonNullable<LlmCallFragment['usage']> {
  const counts: GeminiTokenCounts = { prompt: usage.inputTokens, candidates: usage.outputTokens, cached: usage.cachedContentTokens, total: usage.totalTokens };
  if (thoughtsBilledApart) return geminiUsage({ ...counts, thoughts: usage.thoughtsTokens });
  const out = geminiUsage(counts);
  const reasoning = asNumber(usage.thoughtsTokens);
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

/** Genkit's message `{role: user|model|system|tool, content: [parts]}`; its `model` is the assistant. */
function genkitMessage(raw: JsonValue, defaultRole: string): LlmMessage | undefined {
  if (!isObject(raw)) return undefined;
  const recorded = asString(raw.role) ?? defaultRole;
  const role = recorded === 'model' ? 'assistant' : recorded;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(raw.content)) for (const part of raw.content) appendGenkitPart(part, parts, toolCalls);
  else appendContent(raw.content, parts, toolCalls);
  return assembleMessage(role, parts, toolCalls);
}

/** Part: `{text}`, `{media: {url, contentType}}`, `{toolRequest: {ref, name, input}}`, `{toolResponse: {ref, name, output}}`, `{reasoning}`, `{data}`. */
function appendGenkitPart(raw: JsonValue, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (!isObject(raw)) return appendContent(raw, parts, toolCalls);
  if (typeof raw.text === 'string') parts.push({ type: 'text', text: raw.text });
  else if (typeof raw.reasoning === 'string') parts.push({ type: 'reasoning', text: raw.reasoning });
  else if (isObject(raw.toolRequest)) toolCalls.push(toolCall(raw.toolRequest.ref, raw.toolRequest.name, raw.toolRequest.input));
  else if (isObject(raw.toolResponse)) parts.push(toolResult(raw.toolResponse.ref, raw.toolResponse.output));
  else if (isObject(raw.media)) {
    const mimeType = asString(raw.media.contentType);
    const url = asString(raw.media.url);
    parts.push(mediaPart(mediaKind(undefined, mimeType), { mimeType, ...(url ? uriOrData(url) : {}) }));
  } else if (raw.data !== undefined) parts.push({ type: 'text', text: textOf(raw.data) });
  else parts.push({ type: 'other', value: raw });
}

/** A retriever's Document: `{content: [parts], metadata}`. */
function genkitDocument(raw: JsonValue): RetrievedDocument {
  if (!isObject(raw)) return { content: textOf(raw) };
  const texts = Array.isArray(raw.content) ? raw.content.filter(isObject).map((p) => asString(p.text)).filter((t) => t !== undefined) : [];
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  const document: RetrievedDocument = { content: texts.join('\n') };
  const id = asString(metadata.id) ?? asString(metadata.docId);
  if (id) document.id = id;
  return document;
}
