// A replay's Chat Completions request as the same request to the Responses API, for calls recorded
// through it: some models answer only there, and its tools and output formats are spelled otherwise.
// The draft stays one Chat Completions request (replayDraft.ts), so the user can switch APIs and the
// checks (model, messages, tool ids, tools JSON) are made once. Pure.
import type { ChatCompletionContentPart, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming, ResponseInputContent, ResponseInputItem, Tool } from 'openai/resources/responses/responses';
import { isRecord } from '../base/isRecord';

/** The Responses request that asks what `chat` asks, or what it has that the Responses API takes no equivalent of. */
export function responsesRequestOf(chat: ChatCompletionCreateParamsNonStreaming): { request: ResponseCreateParamsNonStreaming } | { error: string } {
  if (chat.seed !== undefined && chat.seed !== null) return { error: 'The Responses API takes no seed: clear Seed, or send the request as Chat Completions.' };
  if (chat.stop !== undefined && chat.stop !== null) return { error: 'The Responses API takes no stop sequences, and this call has some: send it as Chat Completions.' };
  const request: ResponseCreateParamsNonStreaming = { model: chat.model, input: chat.messages.flatMap(inputItemsOf) };
  if (chat.temperature !== undefined) request.temperature = chat.temperature;
  if (chat.top_p !== undefined) request.top_p = chat.top_p;
  const limit = chat.max_completion_tokens ?? chat.max_tokens;
  if (limit !== undefined && limit !== null) request.max_output_tokens = limit;
  if (chat.reasoning_effort) request.reasoning = { effort: chat.reasoning_effort };
  if (chat.tools && chat.tools.length > 0) {
    request.tools = chat.tools.map(toolOf);
    if (chat.tool_choice !== undefined) request.tool_choice = toolChoiceOf(chat.tool_choice);
  }
  if (chat.response_format !== undefined) request.text = { format: textFormatOf(chat.response_format) };
  return { request };
}

/** A message as Responses input: a message item, or an assistant's tool calls as function_call items, or a tool result. */
function inputItemsOf(message: ChatCompletionMessageParam): ResponseInputItem[] {
  switch (message.role) {
    case 'tool':
      return [{ type: 'function_call_output', call_id: message.tool_call_id, output: textOf(message.content) }];
    case 'assistant': {
      const text = textOf(message.content);
      const calls: ResponseInputItem[] = (message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ type: 'function_call' as const, call_id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
      );
      return text ? [{ role: 'assistant', content: text }, ...calls] : calls;
    }
    case 'user':
      return [{ role: 'user', content: typeof message.content === 'string' ? message.content : message.content.flatMap(userPartOf) }];
    case 'system':
    case 'developer':
      return [{ role: message.role, content: textOf(message.content) }];
    default:
      // (`function`, Chat Completions' old tool role, is never built by a draft.)
      return [];
  }
}

function userPartOf(part: ChatCompletionContentPart): ResponseInputContent[] {
  if (part.type === 'text') return [{ type: 'input_text', text: part.text }];
  if (part.type === 'image_url') return [{ type: 'input_image', image_url: part.image_url.url, detail: part.image_url.detail ?? 'auto' }];
  return [];
}

function textOf(content: string | readonly { type: string; text?: string }[] | null | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/**
 * A tool as the Responses API takes it. Chat Completions nests a function under `function`; Responses
 * spells it flat, and takes `strict` as true when it is not given (a recorded schema made for
 * non-strict calls would then be refused). Anything else (a built-in tool, one already in Responses'
 * form) is sent as written.
 */
function toolOf(tool: unknown): Tool {
  if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) return tool as Tool;
  const f = tool.function;
  const out: Tool = {
    type: 'function',
    name: String(f.name ?? ''),
    parameters: isRecord(f.parameters) ? f.parameters : null,
    strict: typeof f.strict === 'boolean' ? f.strict : false,
  };
  if (typeof f.description === 'string') out.description = f.description;
  return out;
}

/** `{type: 'function', function: {name}}` is Responses' `{type: 'function', name}`; the words (`auto`, `required`, `none`) are the same. */
function toolChoiceOf(choice: unknown): ResponseCreateParamsNonStreaming['tool_choice'] {
  if (isRecord(choice) && choice.type === 'function' && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'function', name: choice.function.name };
  }
  return choice as ResponseCreateParamsNonStreaming['tool_choice'];
}

/** Chat Completions' `response_format` as Responses' `text.format`: a JSON schema is flat there too. */
function textFormatOf(format: unknown): NonNullable<NonNullable<ResponseCreateParamsNonStreaming['text']>['format']> {
  if (isRecord(format) && format.type === 'json_schema' && isRecord(format.json_schema)) {
    const { name, schema, strict, description } = format.json_schema;
    return {
      type: 'json_schema',
      name: typeof name === 'string' ? name : 'response',
      schema: isRecord(schema) ? schema : {},
      ...(typeof strict === 'boolean' ? { strict } : {}),
      ...(typeof description === 'string' ? { description } : {}),
    };
  }
  return format as NonNullable<NonNullable<ResponseCreateParamsNonStreaming['text']>['format']>;
}
