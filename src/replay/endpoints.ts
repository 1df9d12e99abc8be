// Where a captured model call is sent again: the OpenAI-compatible base URL of its provider or server.
// A span records the server's host and port (`server.address`, `server.port`), not the URL its SDK was
// given, so the path is the one each provider's OpenAI-compatible API has; the replay form shows it for
// the user to correct (a proxy, an Azure deployment).
import type { LlmCall } from '../protocol/model';

/** Hosted providers' OpenAI-compatible APIs, by their API host. */
const COMPATIBLE_APIS: Readonly<Record<string, string>> = {
  'api.openai.com': 'https://api.openai.com/v1',
  'api.anthropic.com': 'https://api.anthropic.com/v1',
  'generativelanguage.googleapis.com': 'https://generativelanguage.googleapis.com/v1beta/openai',
  'api.mistral.ai': 'https://api.mistral.ai/v1',
  'api.deepseek.com': 'https://api.deepseek.com/v1',
  'api.x.ai': 'https://api.x.ai/v1',
  'api.groq.com': 'https://api.groq.com/openai/v1',
  'openrouter.ai': 'https://openrouter.ai/api/v1',
  'api.together.xyz': 'https://api.together.xyz/v1',
  'api.fireworks.ai': 'https://api.fireworks.ai/inference/v1',
};

/** The same, by the provider name a span records when it has no server address. */
const BY_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'api.openai.com',
  anthropic: 'api.anthropic.com',
  'gcp.gemini': 'generativelanguage.googleapis.com',
  google: 'generativelanguage.googleapis.com',
  gemini: 'generativelanguage.googleapis.com',
  mistral: 'api.mistral.ai',
  mistral_ai: 'api.mistral.ai',
  deepseek: 'api.deepseek.com',
  xai: 'api.x.ai',
  'x.ai': 'api.x.ai',
  groq: 'api.groq.com',
  openrouter: 'openrouter.ai',
};

/** OpenAI's API: where a call naming no server or known provider is replayed, and the `openai` SDK's default. */
export const OPENAI_BASE_URL = COMPATIBLE_APIS['api.openai.com'];

/** The base URL a call is replayed against, by default: its server's, else its provider's, else OpenAI's. */
export function baseUrlOf(llm: Pick<LlmCall, 'serverAddress' | 'serverPort' | 'provider'>): string {
  const host = llm.serverAddress?.trim().toLowerCase();
  if (host) {
    // Recorders differ: some put the port in the address ("127.0.0.1:8787").
    const [name, portInAddress] = splitHostPort(host);
    const port = llm.serverPort ?? portInAddress;
    const known = COMPATIBLE_APIS[name];
    if (known && (port === undefined || port === 443)) return known;
    const local = isLoopbackHost(name);
    const scheme = local || port === 80 ? 'http' : 'https';
    const defaultPort = scheme === 'http' ? 80 : 443;
    const hostPart = name.includes(':') ? `[${name}]` : name;
    return `${scheme}://${hostPart}${port === undefined || port === defaultPort ? '' : `:${port}`}/v1`;
  }
  const byProvider = llm.provider ? BY_PROVIDER[llm.provider.toLowerCase()] : undefined;
  return byProvider ? COMPATIBLE_APIS[byProvider] : OPENAI_BASE_URL;
}

/**
 * Where a replay may go from this workspace: an http(s) URL, and beyond this machine only from a
 * trusted workspace (DESIGN: replay and any network call other than loopback need one). Gives the
 * key's origin, or why the replay may not be sent (`untrusted`: trust would allow it).
 */
export function replayDestination(baseUrl: string, workspaceTrusted: boolean): { origin: string } | { refusal: string; untrusted?: true } {
  const origin = keyOrigin(baseUrl);
  if (!origin) return { refusal: 'The base URL must be an http:// or https:// URL, such as https://api.openai.com/v1.' };
  if (!workspaceTrusted && !isLoopbackUrl(baseUrl)) {
    return {
      refusal: `Replaying to ${origin} sends this prompt beyond this machine, which an untrusted workspace does not allow. Trust the workspace to replay here, or replay to a server on this machine.`,
      untrusted: true,
    };
  }
  return { origin };
}

/** Whether `url` names this machine (a replay there needs no key and no trusted workspace). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

/** The origin a stored API key belongs to: scheme, host and port. Undefined for what is not an http(s) URL. */
export function keyOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function splitHostPort(host: string): [string, number | undefined] {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    const port = Number(host.slice(end + 2));
    return [host.slice(1, end), end > 0 && host[end + 1] === ':' && Number.isInteger(port) ? port : undefined];
  }
  const colon = host.lastIndexOf(':');
  // More than one colon without brackets: an IPv6 address, no port.
  if (colon < 0 || host.indexOf(':') !== colon) return [host, undefined];
  const port = Number(host.slice(colon + 1));
  return Number.isInteger(port) && port > 0 ? [host.slice(0, colon), port] : [host, undefined];
}
