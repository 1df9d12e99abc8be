// Pydantic AI's agent run span (pydantic_ai/capabilities/instrumentation.py, `wrap_run`): `invoke_agent`
// with the run's whole history as GenAI's structured messages in `pydantic_ai.all_messages` (JSON), its
// instructions in `gen_ai.system_instructions` (read by genai.ts) and its output in `final_result` (the
// text, or JSON). Its model calls and tools are plain GenAI spans.
import { textOf } from './attributeReaders';
import type { LlmCallFragment, SpanView } from './callFragments';
import { splitAnswer } from './messageParts';
import { readStructuredMessages } from './structuredMessages';

export const PYDANTIC_AI_HISTORY = 'pydantic_ai.all_messages';

export function normalizePydanticAiRun(view: SpanView): LlmCallFragment | undefined {
  const a = view.attributes;
  const history = readStructuredMessages(a[PYDANTIC_AI_HISTORY], 'user');
  if (!history) return undefined;
  const fragment: LlmCallFragment = { convention: 'pydantic-ai' };
  const { conversation, answer } = splitAnswer(history);
  fragment.inputMessages = conversation;
  fragment.outputMessages = answer;
  const result = a['final_result'];
  if (result !== undefined && result !== null) fragment.output = textOf(result);
  return fragment;
}

