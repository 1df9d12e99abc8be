// Maps each convention's operation vocabulary onto the contract's LlmOperation.
import type { LlmOperation } from '../protocol/model';

const OPERATION_BY_NAME: Readonly<Record<string, LlmOperation>> = {
  // OTel GenAI `gen_ai.operation.name` (values of @opentelemetry/semantic-conventions 1.45, plus the older `completion`).
  chat: 'chat',
  text_completion: 'text_completion',
  completion: 'text_completion',
  embeddings: 'embeddings',
  embedding: 'embeddings',
  generate_content: 'generate_content',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  responses: 'responses',
  invoke_workflow: 'workflow',
  // An agent's planning or task decomposition phase, and a step of a run (CrewAI's instrumentation in the
  // GenAI conventions' reference scenarios): steps of its run.
  plan: 'workflow',
  run_step: 'workflow',
  // The Vercel AI SDK 7's OpenTelemetry integration (@ai-sdk/otel): a step of an `invoke_agent` run,
  // which holds that step's model call and tool executions.
  agent_step: 'workflow',
  retrieval: 'retrieval',
  // AG2's own (autogen/opentelemetry): a conversation between agents (with the usage and cost of the whole
  // chat), several of them, the group chat's choice of the next speaker; running the code a model wrote.
  conversation: 'workflow',
  initiate_chats: 'workflow',
  speaker_selection: 'workflow',
  execute_code: 'tool',
  // Memory: a search finds records as a retrieval finds documents. Its writes (create_, update_, upsert_,
  // delete_memory and the stores') are no operation of the contract's: `other`.
  search_memory: 'retrieval',
  // OpenInference `openinference.span.kind` (upper case; looked up lower-cased).
  llm: 'chat',
  tool: 'tool',
  agent: 'agent',
  chain: 'workflow',
  retriever: 'retrieval',
  reranker: 'rerank',
  // Traceloop `traceloop.span.kind` and `llm.request.type`; LangSmith run types; Langfuse observation types.
  workflow: 'workflow',
  task: 'workflow',
  session: 'workflow',
  rerank: 'rerank',
  generation: 'chat',
  tool_call: 'tool',
  // LiteLLM's call types, which its OpenTelemetry callback writes as `gen_ai.operation.name` (all but
  // `completion`, its synchronous chat call, which it writes as `chat`); the `a` ones are the async calls.
  acompletion: 'chat',
  anthropic_messages: 'chat',
  atext_completion: 'text_completion',
  aembedding: 'embeddings',
  aresponses: 'responses',
  agenerate_content: 'generate_content',
  arerank: 'rerank',
};

/** The contract operation for a recorded name; unknown names are `other`, a missing one undefined. */
export function operationFromName(name: string | undefined): LlmOperation | undefined {
  if (!name) return undefined;
  const key = name.toLowerCase();
  // Own keys only: a recorded `constructor` or `toString` is no operation, not Object's method.
  return Object.hasOwn(OPERATION_BY_NAME, key) ? OPERATION_BY_NAME[key] : 'other';
}
