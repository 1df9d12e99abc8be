// `npm start`: the whole product in one command. Opens a real VS Code with the freshly packaged
// extension on the sample workspace, then runs the sample app (sample/support-bot.js) against the
// project's fake OpenAI-compatible server — or a real endpoint when OPENAI_API_KEY/OPENAI_BASE_URL
// are set — so a multi-step trace (retrieval, tool call, LLM calls, one error) appears in the sidebar.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { openDemo } from './vscode/open.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = join(ROOT, 'sample');
const RECEIVER = process.env.SPANLIGHT_DEMO_ENDPOINT ?? 'http://127.0.0.1:4318';
const FAKE_OPENAI_PORT = 8787;
/** Each question in the support chat it was asked in: the first and the last are one customer's conversation. */
const QUESTIONS = [
  { question: 'Where is my order A-10023? It was supposed to arrive yesterday.', chat: 'chat-1042', customer: 'cust-7731' },
  { question: 'Can I get a refund for order A-20417? The package arrived damaged.', chat: 'chat-1043', customer: 'cust-2208' },
  { question: 'My order A-30991 still says processing. When will it ship?', chat: 'chat-1042', customer: 'cust-7731' },
];

const children = [];
function start(args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  return child;
}

async function receiverUp() {
  try {
    const res = await fetch(`${RECEIVER}/api/health`);
    return res.ok;
  } catch {
    return false;
  }
}

function runSample(question, env) {
  return new Promise((resolve) => {
    const child = start([join(SAMPLE, 'support-bot.js'), question], env);
    child.on('exit', resolve);
  });
}

const useRealEndpoint = Boolean(process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL);
if (!useRealEndpoint) {
  start(['--import', 'tsx', join(ROOT, 'scripts/fake-openai.ts'), '--port', String(FAKE_OPENAI_PORT)]);
}

const demo = await openDemo({ folder: SAMPLE });
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  for (const child of children) child.kill('SIGTERM');
  await demo.stop();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

if (demo.mode === 'code-server') {
  console.log(`\nVS Code (code-server) with Spanlight is running. Open this URL in your browser:\n\n  ${demo.url}\n`);
  console.log('The extension starts its receiver when the editor opens; the sample app waits for it.');
}
while (!(await receiverUp())) await new Promise((r) => setTimeout(r, 1000));
console.log(`Spanlight is receiving on ${RECEIVER}. Running the sample app…`);

const sampleEnv = {
  OTEL_EXPORTER_OTLP_ENDPOINT: RECEIVER,
  ...(useRealEndpoint ? {} : { OPENAI_BASE_URL: `http://127.0.0.1:${FAKE_OPENAI_PORT}/v1`, OPENAI_API_KEY: 'sk-local-fake' }),
};
for (const { question, chat, customer } of QUESTIONS) {
  if (stopping) break;
  await runSample(question, { ...sampleEnv, SUPPORT_CHAT_ID: chat, SUPPORT_CUSTOMER_ID: customer });
  await new Promise((r) => setTimeout(r, 4000));
}
console.log('\nThe sample traces are in the Spanlight sidebar. Run `node sample/support-bot.js "your question"` for more. Ctrl-C to stop.');
