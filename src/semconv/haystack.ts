// Haystack (deepset-ai/haystack, Python) traces its pipelines itself through OpenTelemetry once a tracer
// provider is set up (haystack/tracing/opentelemetry.py): a `haystack.pipeline.run` span per run, a
// `haystack.component.run` span per component run (haystack/core/pipeline/base.py), `haystack.agent.run`
// for its Agent, and in Haystack 3 `haystack.agent.step.llm` / `haystack.agent.step.tool` for each
// model call and tool call of an agent step. A component span names its component
// (`haystack.component.name`) and class (`haystack.component.type`: `OpenAIChatGenerator`,
// `InMemoryBM25Retriever`…). With content tracing on (HAYSTACK_CONTENT_TRACING_ENABLED=true) each span
// also carries its run's arguments and return value as JSON (haystack/tracing/utils.py coerces every tag
// through the objects' to_dict()): `haystack.component.input` / `.output`, `haystack.agent.input` /
// `.output`, `haystack.pipeline.input_data` / `.output_data`.
// A chat generator's input holds its ChatMessages, its output the replies, whose `meta` has the model, the
// finish reason and the provider's usage: the model and the tokens are only there.
import type { JsonValue, LlmMessage, LlmOperation, MessagePart, ToolCall, ToolDefinition } from '../protocol/model';
import { asString, isObject, presentText, readJson, textOf, type JsonObject } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { assembleMessage, mediaPart } from './messageParts';
import { appendContent, toolCall } from './openaiMessages';
import { normalizeProvider } from './providers';
import { usageFrom } from './requestBodies';
import { documentOf, documentsText, type RetrievedDocument } from './retrievedDocuments';
import { toolDefinitionsFrom } from './toolDefinitions';

export const HAYSTACK_PREFIX = 'haystack.';

const COMPONENT_OUTPUT = 'haystack.component.output';
const STEP_LLM_OUTPUT = 'haystack.agent.step.llm.output';

/** Its JSON attributes that hold a call's model and usage (see CALL_FIELDS_IN_JSON in index.ts): a reply's `meta`. */
export const HAYSTACK_CALL_FIELDS_IN_JSON = [COMPONENT_OUTPUT, STEP_LLM_OUTPUT];

/** Where each kind of span keeps its content: the span's name without `.run`, then `.input` / `.output`. */
function contentKeys(name: string): { input: string; output: string } {
  // AsyncPipeline tags its runs as Pipeline does.
  if (name === 'haystack.pipeline.run' || name === 'haystack.async_pipeline.run') return { input: 'haystack.pipeline.input_data', output: 'haystack.pipeline.output_data' };
  const base = name.endsWith('.run') ? name.slice(0, -'.run'.length) : name;
  return { input: `${base}.input`, output: `${base}.output` };
}

export function normalizeHaystack(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const type = asString(a['haystack.component.type']);
  const operation = operationOf(view.name, type);
  if (!operation) return undefined;
  const fragment: LlmCallFragment = { convention: 'haystack', operation };
  const keys = contentKeys(view.name);
  const input = readJson(a[keys.input]);
  const output = readJson(a[keys.output]);
  const args = input?.ok && isObject(input.value) ? input.value : undefined;
  const result = output?.ok && isObject(output.value) ? output.value : undefined;

  if (operation === 'chat' || operation === 'text_completion' || operation === 'embeddings') {
    if (type) fragment.provider = providerOf(type);
    readCall(fragment, args, result);
  } else if (operation === 'retrieval' || operation === 'rerank') {
    const documents = Array.isArray(result?.documents) ? documentsText(result.documents.map(haystackDocument)) : undefined;
    if (documents) fragment.output = documents;
  } else if (operation === 'tool') {
    const name = asString(a['haystack.tool.name']);
    if (name) fragment.tool = { name };
  }
  // What is not a conversation or documents is shown as the JSON it came as.
  if (!fragment.inputMessages) fragment.input = presentText(a[keys.input]);
  if (!fragment.outputMessages && fragment.output === undefined) fragment.output = presentText(a[keys.output]);
  return fragment;
}

/** A span's operation from its name and, for a component, its class: undefined for a span that is not Haystack's. */
function operationOf(name: string, type: string | undefined): LlmOperation | undefined {
  switch (name) {
    case 'haystack.pipeline.run':
    case 'haystack.async_pipeline.run':
    case 'haystack.agent.step':
      return 'workflow';
    case 'haystack.agent.run':
      return 'agent';
    case 'haystack.agent.step.llm':
      return 'chat';
    case 'haystack.agent.step.tool':
      return 'tool';
    case 'haystack.component.run':
      return type ? componentOperation(type) : 'workflow';
    default:
      return undefined;
  }
}

/**
 * Haystack names its components for what they are: `…ChatGenerator`, `…Generator`, `…TextEmbedder` /
 * `…DocumentEmbedder`, `…Retriever`, `…Ranker`; `ToolInvoker` runs the tools a model asked for, and
 * `Agent` (as a component) is an agent. The rest (prompt builders, joiners, converters) are pipeline steps.
 */
function componentOperation(type: string): LlmOperation {
  if (type.endsWith('ChatGenerator')) return 'chat';
  if (type.endsWith('Generator')) return 'text_completion';
  if (type.endsWith('Embedder')) return 'embeddings';
  if (type.endsWith('Retriever')) return 'retrieval';
  if (type.endsWith('Ranker')) return 'rerank';
  if (type === 'ToolInvoker') return 'tool';
  if (type === 'Agent') return 'agent';
  return 'workflow';
}

/** Provider of Haystack's generator and embedder integrations, from the class name's start. */
const PROVIDER_BY_CLASS_PREFIX: readonly [string, string][] = [
  ['AzureOpenAI', 'azure.ai.openai'],
  ['OpenAI', 'openai'],
  ['Anthropic', 'anthropic'],
  ['AmazonBedrock', 'aws.bedrock'],
  ['GoogleGenAI', 'gcp.gen_ai'],
  ['VertexAI', 'gcp.vertex_ai'],
  ['Mistral', 'mistral_ai'],
  ['Cohere', 'cohere'],
  ['Ollama', 'ollama'],
  ['Nvidia', 'nvidia'],
  ['HuggingFace', 'huggingface'],
];

function providerOf(type: string): string | undefined {
  const known = PROVIDER_BY_CLASS_PREFIX.find(([prefix]) => type.startsWith(prefix));
  return normalizeProvider(known?.[1]);
}

/**
 * A generator's or embedder's run: its messages (chat: `messages`; text: `prompt` and `system_prompt`),
 * the tools offered, and from its output the replies with the model, finish reason and usage of their
 * `meta` (chat: each reply's; text and embedders: the output's `meta`, one per reply or one object).
 */
function readCall(fragment: LlmCallFragment, args: JsonObject | undefined, result: JsonObject | undefined): void {
  if (args) {
    const messages = Array.isArray(args.messages) ? args.messages.map(haystackMessage).filter((m) => m !== undefined) : [];
    const system = asString(args.system_prompt);
    if (system) messages.unshift({ role: 'system', content: system });
    const prompt = asString(args.prompt);
    if (prompt) messages.push({ role: 'user', content: prompt });
    if (messages.length > 0) fragment.inputMessages = messages;
    const tools = haystackTools(args.tools);
    if (tools.length > 0) fragment.params = { tools };
  }
  if (!result) return;
  const replies = Array.isArray(result.replies) ? result.replies : [];
  const metas: JsonObject[] = [];
  const answers: LlmMessage[] = [];
  for (const reply of replies) {
    // A chat generator's replies are ChatMessages with their own meta; a text generator's are strings.
    const message = typeof reply === 'string' ? { role: 'assistant', content: reply } : haystackMessage(reply);
    if (!message) continue;
    const meta = isObject(reply) ? messageMeta(reply) : undefined;
    if (meta) metas.push(meta);
    answers.push(message);
  }
  if (Array.isArray(result.meta)) metas.push(...result.meta.filter(isObject));
  else if (isObject(result.meta)) metas.push(result.meta);
  metas.forEach((meta, i) => {
    const reason = asString(meta.finish_reason);
    if (reason && answers[i] && !answers[i].finishReason) answers[i].finishReason = reason;
  });
  if (answers.length > 0) fragment.outputMessages = answers;
  const reasons = metas.map((m) => asString(m.finish_reason)).filter((r) => r !== undefined);
  if (reasons.length > 0) fragment.finishReasons = reasons;
  // One call: its replies share the model and the usage (OpenAI's n > 1 counts all of them in one usage).
  const first = metas[0];
  if (first) {
    fragment.responseModel = asString(first.model);
    const usage = usageFrom(first.usage);
    if (Object.keys(usage).length > 0) fragment.usage = usage;
  }
}

/** ChatMessage.to_dict(): `{role, content: [parts], name, meta}` (2.12+), `{_role, _content, _name, _meta}` (2.9–2.11), `{role, content: "text"}` before. */
function haystackMessage(raw: JsonValue): LlmMessage | undefined {
  if (!isObject(raw)) return undefined;
  const role = asString(raw.role) ?? asString(raw._role);
  if (!role) return undefined;
  const content = raw.content ?? raw._content;
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  if (Array.isArray(content)) for (const part of content) appendHaystackPart(part, parts, toolCalls);
  else appendContent(content, parts, toolCalls);
  return assembleMessage(role, parts, toolCalls, { name: asString(raw.name) ?? asString(raw._name) });
}

function messageMeta(raw: JsonObject): JsonObject | undefined {
  const meta = raw.meta ?? raw._meta;
  return isObject(meta) ? meta : undefined;
}

/** One part of a ChatMessage's content: `{text}`, `{tool_call}`, `{tool_call_result}`, `{reasoning}`, `{image}`, `{file}`. */
function appendHaystackPart(raw: JsonValue, parts: MessagePart[], toolCalls: ToolCall[]): void {
  if (!isObject(raw)) return appendContent(raw, parts, toolCalls);
  if (isObject(raw.tool_call)) {
    // ToolCall: `{tool_name, arguments: {…}, id}`.
    toolCalls.push(toolCall(raw.tool_call.id, raw.tool_call.tool_name, raw.tool_call.arguments));
  } else if (isObject(raw.tool_call_result)) {
    const { result, origin, error } = raw.tool_call_result;
    const part: MessagePart = { type: 'tool_result', result: error === true ? `Error: ${textOf(result)}` : textOf(result) };
    const id = isObject(origin) ? asString(origin.id) : undefined;
    if (id) part.id = id;
    parts.push(part);
  } else if (isObject(raw.reasoning)) {
    parts.push({ type: 'reasoning', text: textOf(raw.reasoning.reasoning_text) });
  } else if (isObject(raw.image)) {
    parts.push(mediaPart('image', { mimeType: asString(raw.image.mime_type), data: asString(raw.image.base64_image) }));
  } else if (isObject(raw.file)) {
    parts.push(mediaPart('file', { mimeType: asString(raw.file.mime_type), data: asString(raw.file.base64_data), name: asString(raw.file.filename) }));
  } else {
    // `{text}` and anything newer: read as content blocks are.
    appendContent(raw, parts, toolCalls);
  }
}

/** Tool.to_dict(): `{type: 'haystack.tools.tool.Tool', data: {name, description, parameters, …}}`. */
function haystackTools(raw: JsonValue | undefined): ToolDefinition[] {
  if (!Array.isArray(raw)) return [];
  return toolDefinitionsFrom(raw.map((tool) => (isObject(tool) && isObject(tool.data) ? tool.data : tool)));
}

/** Document.to_dict(): `{id, content, meta…, score, embedding}` (its meta flattened in by default). */
function haystackDocument(raw: JsonValue): RetrievedDocument {
  return isObject(raw) ? documentOf(raw) : { content: textOf(raw) };
}
