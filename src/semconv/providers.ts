// Provider names, normalized so the same provider reads the same whatever recorded it.

/**
 * Vercel AI SDK provider ids end in an API flavour (`openai.chat`, `openai.responses`,
 * `anthropic.messages`, `google.generative-ai`, `google.vertex.chat`): those suffixes are dropped.
 * OTel well-known dotted names (`az.ai.openai`, `azure.ai.openai`, `aws.bedrock`, `gcp.vertex_ai`,
 * `ibm.watsonx.ai`) do not end in a flavour and are kept, lower-cased.
 */
const API_FLAVOUR_SUFFIXES = new Set([
  'chat',
  'responses',
  'completion',
  'completions',
  'messages',
  'embedding',
  'embeddings',
  'image',
  'images',
  'speech',
  'transcription',
  'generative-ai',
  'text',
]);

export function normalizeProvider(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let name = value.trim().toLowerCase();
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.')) {
    if (!API_FLAVOUR_SUFFIXES.has(name.slice(dot + 1))) break;
    name = name.slice(0, dot);
  }
  return name === '' ? undefined : name;
}
