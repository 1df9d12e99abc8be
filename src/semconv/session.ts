// The conversation (session) and the end user a span belongs to, where its recorder says (SEMCONV.md,
// "session / user"). A chat app's every turn is a trace of its own; the session id is what ties a
// conversation's turns together, and the user id whose they were. Recorders put them in different
// places, some on every span (OpenInference's and Traceloop's context propagation), some on the root
// or on model calls only:
// - OpenTelemetry GenAI: `gen_ai.conversation.id`; general semantic conventions: `session.id`, `user.id`,
//   `enduser.id`.
// - OpenInference: `session.id`, `user.id`. Langfuse: `langfuse.session.id`, `langfuse.user.id`.
// - OpenLLMetry/Traceloop: association properties, `traceloop.association.properties.<key>`, keys of the
//   app's choosing (its docs use `session_id`, `user_id`, `chat_id`).
// - Vercel AI SDK: telemetry metadata, `ai.telemetry.metadata.<key>` (Langfuse's and others' guides use
//   `sessionId`, `userId`). LangSmith: metadata, `langsmith.metadata.session_id` / `thread_id` /
//   `conversation_id`, `user_id`.
// - Google ADK: `gcp.vertex.agent.session_id` on its model calls.
import type { Attributes, SpanSession } from '../protocol/model';

/** Ids are labels and filter text, not content: one that is longer is cut. */
export const SESSION_ID_MAX_CHARS = 256;

const SESSION_KEYS = [
  'gen_ai.conversation.id',
  'session.id',
  'langfuse.session.id',
  'traceloop.association.properties.session_id',
  'traceloop.association.properties.chat_id',
  'ai.telemetry.metadata.sessionId',
  'ai.telemetry.metadata.session_id',
  'langsmith.metadata.session_id',
  'langsmith.metadata.thread_id',
  'langsmith.metadata.conversation_id',
  'gcp.vertex.agent.session_id',
];

const USER_KEYS = [
  'user.id',
  'enduser.id',
  'langfuse.user.id',
  'traceloop.association.properties.user_id',
  'ai.telemetry.metadata.userId',
  'ai.telemetry.metadata.user_id',
  'langsmith.metadata.user_id',
];

/** Where a view may show them, and search finds them (store/spanMeta.ts searchTextOf). */
export function sessionOf(attributes: Attributes): SpanSession | undefined {
  const id = firstId(attributes, SESSION_KEYS);
  const user = firstId(attributes, USER_KEYS);
  if (id === undefined && user === undefined) return undefined;
  return { ...(id !== undefined ? { id } : {}), ...(user !== undefined ? { user } : {}) };
}

function firstId(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    // Some apps use numeric ids (a database row's).
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
    if (text) return text.length <= SESSION_ID_MAX_CHARS ? text : text.slice(0, SESSION_ID_MAX_CHARS);
  }
  return undefined;
}
