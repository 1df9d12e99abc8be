// Mastra (mastra-ai/mastra, TypeScript) exports its AI tracing through @mastra/otel-exporter with GenAI's
// names (observability/otel-exporter/src/gen-ai-semantics.ts), which genai.ts reads, plus `mastra.*`
// attributes for what GenAI has no name for: `mastra.span.type` (its span type, lower case), the input
// and output of everything that is no model call or tool (agent and workflow runs, workflow steps and
// their control flow: `mastra.<type>.input` / `.output`, JSON or text), and the moment a model call's
// first chunk arrived (`mastra.completion_start_time`). Its span types other than GenAI's operations
// arrive as the operation name (`workflow_step`, `workflow_conditional`, …), which GenAI calls `other`.
import type { LlmOperation } from '../protocol/model';
import { asString, textOf } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { msFromStartToIso } from './firstToken';

export const MASTRA_PREFIX = 'mastra.';

export function normalizeMastra(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const type = asString(a['mastra.span.type'])?.toLowerCase();
  if (!type) return undefined;
  const fragment: LlmCallFragment = { convention: 'mastra' };
  const operation = operationOf(type);
  if (operation) fragment.operation = operation;
  const input = a[`${MASTRA_PREFIX}${type}.input`];
  const output = a[`${MASTRA_PREFIX}${type}.output`];
  if (input !== undefined) fragment.input = textOf(input);
  if (output !== undefined) fragment.output = textOf(output);
  fragment.timeToFirstTokenMs = msFromStartToIso(view, a['mastra.completion_start_time']);
  return fragment;
}

/** A workflow run, its steps and their control flow (conditions, loops, parallel branches, sleeps, waits) are the workflow. */
function operationOf(type: string): LlmOperation | undefined {
  return type.startsWith('workflow_') ? 'workflow' : undefined;
}
