// A small support bot: embed the question, search and rerank a knowledge base, ask the model
// (which calls a tool), answer — and one call that fails, so the trace shows an error.
// Run: node sample/support-bot.js   (OPENAI_BASE_URL / OPENAI_API_KEY pick a real endpoint).
const { tracer, shutdown } = require('./tracing');
const { SpanStatusCode } = require('@opentelemetry/api');
const OpenAI = require('openai').default;

const client = new OpenAI({
  baseURL: process.env.OPENAI_BASE_URL ?? 'http://127.0.0.1:8787/v1',
  apiKey: process.env.OPENAI_API_KEY ?? 'sk-local-fake',
});
const MODEL = process.env.SPANLIGHT_SAMPLE_MODEL ?? 'gpt-4o-mini';

const KNOWLEDGE_BASE = [
  { id: 'kb-12', text: 'Orders ship within 2 business days from our Lyon warehouse.' },
  { id: 'kb-31', text: 'Refunds are issued to the original payment method within 5 days.' },
  { id: 'kb-07', text: 'Order status can be looked up with the order number (format A-12345).' },
];

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_order_status',
      description: 'Look up the shipping status of an order',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
    },
  },
];

function getOrderStatus(orderId) {
  return tracer.startActiveSpan('execute_tool get_order_status', (span) => {
    span.setAttributes({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_order_status',
      'gen_ai.tool.call.arguments': JSON.stringify({ order_id: orderId }),
    });
    const result = { order_id: orderId, status: 'shipped', carrier: 'Colissimo', eta: '2 days' };
    span.setAttribute('gen_ai.tool.call.result', JSON.stringify(result));
    span.end();
    return result;
  });
}

async function retrieve(question) {
  await client.embeddings.create({ model: 'text-embedding-3-small', input: question });
  const docs = await tracer.startActiveSpan('vector_search', async (span) => {
    span.setAttributes({ 'db.system': 'chroma', 'db.operation': 'query', 'openinference.span.kind': 'RETRIEVER', 'input.value': question });
    await new Promise((r) => setTimeout(r, 25));
    KNOWLEDGE_BASE.forEach((doc, i) => {
      span.setAttribute(`retrieval.documents.${i}.document.id`, doc.id);
      span.setAttribute(`retrieval.documents.${i}.document.content`, doc.text);
    });
    span.end();
    return KNOWLEDGE_BASE;
  });
  return tracer.startActiveSpan('rerank', async (span) => {
    await new Promise((r) => setTimeout(r, 10));
    span.setAttribute('rerank.top_n', 2);
    span.end();
    return docs.slice(0, 2);
  });
}

async function answer(question) {
  return tracer.startActiveSpan('answer_question', async (root) => {
    // The support chat this question came in (its conversation) and the customer: Spanlight shows them
    // and lists a conversation's turns together. OpenTelemetry's general attributes; GenAI's own is
    // gen_ai.conversation.id.
    if (process.env.SUPPORT_CHAT_ID) root.setAttribute('session.id', process.env.SUPPORT_CHAT_ID);
    if (process.env.SUPPORT_CUSTOMER_ID) root.setAttribute('user.id', process.env.SUPPORT_CUSTOMER_ID);
    try {
      const docs = await retrieve(question);
      const messages = [
        { role: 'system', content: `You are a concise support agent. Context:\n${docs.map((d) => d.text).join('\n')}` },
        { role: 'user', content: question },
      ];
      const first = await client.chat.completions.create({ model: MODEL, messages, tools: TOOLS, temperature: 0.2 });
      const reply = first.choices[0].message;
      messages.push(reply);
      for (const call of reply.tool_calls ?? []) {
        const args = JSON.parse(call.function.arguments);
        const result = getOrderStatus(args.order_id ?? 'A-10023');
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
      }
      const final = await client.chat.completions.create({ model: MODEL, messages, temperature: 0.2 });
      // Refunds go to the CRM too; the other questions end here, as most traces do, without an error.
      if (/refund/i.test(question)) await summarizeForCrm(final.choices[0].message.content ?? '');
      return final.choices[0].message.content;
    } finally {
      root.end();
    }
  });
}

/** Uses a model the endpoint does not serve: this call fails, and the refund's trace shows the error. */
async function summarizeForCrm(text) {
  try {
    await client.chat.completions.create({
      model: process.env.SPANLIGHT_SAMPLE_FAILING_MODEL ?? 'fail-gpt-4o-mini',
      messages: [{ role: 'user', content: `Summarize for the CRM: ${text}` }],
      max_tokens: 64,
    });
  } catch (err) {
    const span = tracer.startSpan('crm_sync');
    span.recordException(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(err.message ?? err) });
    span.end();
  }
}

async function main() {
  const question = process.argv[2] ?? 'Where is my order A-10023? It was supposed to arrive yesterday.';
  const text = await answer(question);
  console.log(`support-bot: ${text}`);
  await shutdown();
}

main().catch(async (err) => {
  console.error('support-bot failed:', err);
  await shutdown();
  process.exitCode = 1;
});
