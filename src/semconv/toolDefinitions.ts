// Tool definitions offered to the model, in every source format the conventions record them in.
import type { JsonValue, ToolDefinition } from '../protocol/model';
import { asString, isObject, readJson } from './attributeReaders';

/**
 * One tool definition from any of:
 * - OpenAI chat `{type: 'function', function: {name, description, parameters}}` (OpenInference
 *   `llm.tools.N.tool.json_schema`, Traceloop 0.27 and Logfire `gen_ai.tool.definitions` keep this source format);
 * - flattened `{type: 'function', name, description, parameters}` (OTel GenAI spec, OpenAI Responses);
 * - legacy OpenAI `functions` entries `{name, description, parameters}`;
 * - Anthropic `{name, description, input_schema}`;
 * - Vercel AI SDK `{type: 'function', name, description, inputSchema}` (v5+) or `parameters` (v4),
 *   and provider tools `{type: 'provider-defined' | 'provider', id, name, args}`;
 * - built-in tools with only a type (`{type: 'web_search_preview'}`): the type is the name.
 * A JSON string is decoded first (Vercel `ai.prompt.tools` is an array of JSON strings).
 */
export function toolDefinitionFrom(raw: JsonValue | undefined): ToolDefinition | undefined {
  const parsed = readJson(raw);
  if (!parsed?.ok || !isObject(parsed.value)) return undefined;
  const outer = parsed.value;
  const fn = isObject(outer.function) ? outer.function : outer;
  const name = asString(fn.name) ?? asString(outer.id) ?? asString(outer.type);
  if (!name) return undefined;
  const tool: ToolDefinition = { name };
  const description = asString(fn.description);
  if (description) tool.description = description;
  const schema = fn.parameters ?? fn.input_schema ?? fn.inputSchema ?? fn.args;
  if (schema !== undefined && schema !== null) {
    // Some recorders store the schema itself as a JSON string (Traceloop legacy `.arguments`).
    const decoded = readJson(schema);
    tool.parameters = decoded?.ok ? decoded.value : schema;
  }
  return tool;
}

/** What a tool's bare name looks like (anything else is a definition that did not parse). */
const TOOL_NAME = /^[\w.:-]+$/;

/** A list of tool definitions from an array, a JSON-encoded array, or a single definition (or name). */
export function toolDefinitionsFrom(raw: JsonValue | undefined): ToolDefinition[] {
  const parsed = readJson(raw);
  if (!parsed?.ok) return [];
  const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const tools: ToolDefinition[] = [];
  for (const item of list) {
    // Mastra's agent spans (1.4) list the tools by name only.
    const tool = toolDefinitionFrom(item) ?? (typeof item === 'string' && TOOL_NAME.test(item) ? { name: item } : undefined);
    if (tool) tools.push(tool);
  }
  return tools;
}
