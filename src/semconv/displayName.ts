// What the views call a span when its recorder keeps a better label in an attribute than in its name.
// Two recorders name spans for what kind of span they are rather than which one:
// - Haystack names every component run `haystack.component.run` and the component in
//   `haystack.component.name` (`retriever`, `prompt_builder`, `llm`): a pipeline's tree read the same
//   name on every row. Its agents' tool calls (`haystack.agent.step.tool`) name the tool in `haystack.tool.name`.
// - Logfire names a span by its message template (`Chat Completion with {request_data[model]!r}`) and
//   keeps the message in `logfire.msg` (`Chat Completion with 'gpt-4o'`), which is what its own UI shows;
//   Pydantic AI's older instrumentation names every tool span `running tool` and the tool in the message.
// The span keeps its name; the label goes into the index (tree rows, the trace list's root name, search)
// and the detail's title, which shows the name beside it.
import type { Attributes } from '../protocol/model';
import { asString } from './attributeReaders';

/** Labels longer than this are cut: a title, not the message (a Logfire message can hold a whole argument). */
export const DISPLAY_NAME_MAX_CHARS = 200;

/** Attributes a label is read from, kept whole by the ingest preview (indexTraces.ts PREVIEW_KEPT_WHOLE) so the index sees the label a read does. */
export const DISPLAY_NAME_ATTRIBUTES: readonly string[] = ['haystack.component.name', 'haystack.tool.name', 'logfire.msg'];

export function displayNameOf(name: string, attributes: Attributes): string | undefined {
  const label = labelOf(name, attributes);
  if (label === undefined || label === '' || label === name) return undefined;
  if (label.length <= DISPLAY_NAME_MAX_CHARS) return label;
  let end = DISPLAY_NAME_MAX_CHARS - 1;
  // Not between the two halves of a character outside the BMP (an emoji).
  if (/[\uD800-\uDBFF]/.test(label[end - 1])) end--;
  return `${label.slice(0, end)}…`;
}

function labelOf(name: string, attributes: Attributes): string | undefined {
  if (name === 'haystack.component.run') return asString(attributes['haystack.component.name']);
  if (name === 'haystack.agent.step.tool') return asString(attributes['haystack.tool.name']);
  const message = asString(attributes['logfire.msg']);
  // Where the name is the template, or the message the name with more said (Pydantic AI's older `running
  // tool` spans: `running tool: get_weather`). A span named otherwise was named by the app on purpose.
  if (message !== undefined && (name === attributes['logfire.msg_template'] || message.startsWith(`${name}:`))) return message;
  return undefined;
}
