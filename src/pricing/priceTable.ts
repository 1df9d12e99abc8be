// List prices of hosted models, USD per 1M tokens, keyed by the model id family the provider publishes.
// Keys are canonical, lowercase, without date/snapshot suffix: `resolvePrice` (cost.ts) maps
// `gpt-4o-2024-08-06`, `claude-sonnet-4-20250514`, `models/gemini-2.0-flash-001`, … onto them.
//
// Maintenance rules:
// - Only list prices we are confident of. A model missing here shows "no price", which is honest;
//   a wrong price is not. When a moving alias (`mistral-large-latest`) changed price with the model
//   behind it, list only the pinned ids.
// - A variant with its own price (`o3-pro`, `gpt-4o-2024-05-13`, `gpt-5-chat-latest`) needs its own key:
//   resolution never strips words such as `pro`, `audio`, `realtime`, only dates and version numbers.
// - Long-context tiers (Gemini and Sonnet above 200K prompt tokens) and batch/flex/priority tiers are not
//   modelled: the standard tier is what an interactive developer pays.
// - `cacheWrite` is Anthropic's 5-minute cache write price; other providers do not bill cache writes.
//
// Sources (provider pricing pages; where a page could not be read directly, secondary copies of it dated 2026):
//   OpenAI     https://platform.openai.com/docs/pricing
//   Anthropic  https://docs.claude.com/en/docs/about-claude/pricing
//   Google     https://ai.google.dev/gemini-api/docs/pricing
//   Mistral    https://mistral.ai/pricing#api-pricing
//   DeepSeek   https://api-docs.deepseek.com/quick_start/pricing
//   xAI        https://docs.x.ai/docs/models

/** The date this table was last reviewed against the sources above. */
export const pricesAsOf = '2026-11-23';

export type Vendor = 'openai' | 'anthropic' | 'google' | 'mistral' | 'deepseek' | 'xai';

/** USD per 1M tokens. */
export interface TokenPrices {
  input: number;
  output: number;
  /** Cache reads; absent → cached tokens are billed at `input`. */
  cachedInput?: number;
  /** Cache writes (Anthropic); absent → billed at `input`. */
  cacheWrite?: number;
}

export interface PriceEntry extends TokenPrices {
  vendor: Vendor;
}

const openai = (input: number, cachedInput: number | undefined, output: number): PriceEntry => ({ vendor: 'openai', input, cachedInput, output });
// Anthropic: cache reads are 0.1× input, 5-minute cache writes 1.25× input.
const anthropic = (input: number, output: number): PriceEntry => ({
  vendor: 'anthropic',
  input,
  output,
  cachedInput: round(input * 0.1),
  cacheWrite: round(input * 1.25),
});
const google = (input: number, cachedInput: number | undefined, output: number): PriceEntry => ({ vendor: 'google', input, cachedInput, output });
const mistral = (input: number, output: number): PriceEntry => ({ vendor: 'mistral', input, output });
const deepseek = (input: number, cachedInput: number, output: number): PriceEntry => ({ vendor: 'deepseek', input, cachedInput, output });
const xai = (input: number, cachedInput: number | undefined, output: number): PriceEntry => ({ vendor: 'xai', input, cachedInput, output });

export const PRICE_TABLE: Readonly<Record<string, PriceEntry>> = {
  // --- OpenAI: GPT-5 family (cache reads at 0.1× input)
  'gpt-5.5': openai(5, 0.5, 30),
  'gpt-5.5-pro': openai(30, undefined, 180),
  'gpt-5.4': openai(2.5, 0.25, 15),
  'gpt-5.4-mini': openai(0.75, 0.075, 4.5),
  'gpt-5.4-nano': openai(0.2, 0.02, 1.25),
  'gpt-5.4-pro': openai(30, undefined, 180),
  'gpt-5.2': openai(1.75, 0.175, 14),
  'gpt-5.2-pro': openai(21, undefined, 168),
  'gpt-5.1': openai(1.25, 0.125, 10),
  'gpt-5.1-codex': openai(1.25, 0.125, 10),
  'gpt-5.1-codex-mini': openai(0.25, 0.025, 2),
  'gpt-5': openai(1.25, 0.125, 10),
  'gpt-5-chat-latest': openai(1.25, 0.125, 10),
  'gpt-5-codex': openai(1.25, 0.125, 10),
  'gpt-5-mini': openai(0.25, 0.025, 2),
  'gpt-5-nano': openai(0.05, 0.005, 0.4),
  'gpt-5-pro': openai(15, undefined, 120),
  // --- OpenAI: GPT-4.1 (cache reads at 0.25×), GPT-4o (0.5×)
  'gpt-4.1': openai(2, 0.5, 8),
  'gpt-4.1-mini': openai(0.4, 0.1, 1.6),
  'gpt-4.1-nano': openai(0.1, 0.025, 0.4),
  'gpt-4o': openai(2.5, 1.25, 10),
  // The first gpt-4o snapshot kept its launch price and has no cache discount.
  'gpt-4o-2024-05-13': openai(5, undefined, 15),
  'gpt-4o-mini': openai(0.15, 0.075, 0.6),
  'chatgpt-4o-latest': openai(5, undefined, 15),
  // --- OpenAI: reasoning models (reasoning tokens are billed inside output tokens)
  o1: openai(15, 7.5, 60),
  'o1-mini': openai(1.1, 0.55, 4.4),
  'o1-pro': openai(150, undefined, 600),
  o3: openai(2, 0.5, 8),
  'o3-mini': openai(1.1, 0.55, 4.4),
  'o3-pro': openai(20, undefined, 80),
  'o4-mini': openai(1.1, 0.275, 4.4),
  // --- OpenAI: older chat models
  'gpt-4-turbo': openai(10, undefined, 30),
  // GPT-4 Turbo previews are dated like gpt-4 snapshots but priced as gpt-4-turbo.
  'gpt-4-1106-preview': openai(10, undefined, 30),
  'gpt-4-0125-preview': openai(10, undefined, 30),
  'gpt-4': openai(30, undefined, 60),
  'gpt-3.5-turbo': openai(0.5, undefined, 1.5),
  'gpt-3.5-turbo-1106': openai(1, undefined, 2),
  'gpt-3.5-turbo-0613': openai(1.5, undefined, 2),
  // --- OpenAI: embeddings (no output tokens)
  'text-embedding-3-small': openai(0.02, undefined, 0),
  'text-embedding-3-large': openai(0.13, undefined, 0),
  'text-embedding-ada-002': openai(0.1, undefined, 0),

  // --- Anthropic (ids use dashes: claude-3-5-sonnet, claude-sonnet-4-5; cost.ts maps dotted spellings)
  'claude-opus-4-6': anthropic(5, 25),
  'claude-opus-4-5': anthropic(5, 25),
  'claude-opus-4-1': anthropic(15, 75),
  'claude-opus-4': anthropic(15, 75),
  // `-0` aliases: a bare minor digit is never stripped (it would make claude-opus-4-7 look like Opus 4).
  'claude-opus-4-0': anthropic(15, 75),
  'claude-sonnet-4-6': anthropic(3, 15),
  'claude-sonnet-4-5': anthropic(3, 15),
  'claude-sonnet-4': anthropic(3, 15),
  'claude-sonnet-4-0': anthropic(3, 15),
  'claude-3-7-sonnet': anthropic(3, 15),
  'claude-3-5-sonnet': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-3-5-haiku': anthropic(0.8, 4),
  'claude-3-opus': anthropic(15, 75),
  'claude-3-haiku': { vendor: 'anthropic', input: 0.25, output: 1.25, cachedInput: 0.03, cacheWrite: 0.3 },
  'claude-3-sonnet': { vendor: 'anthropic', input: 3, output: 15 },

  // --- Google Gemini (prompts up to 200K tokens; text input)
  'gemini-3.1-pro': google(2, 0.2, 12),
  'gemini-3-pro': google(2, 0.2, 12),
  'gemini-3-flash': google(0.5, 0.05, 3),
  'gemini-2.5-pro': google(1.25, 0.125, 10),
  'gemini-2.5-flash': google(0.3, 0.03, 2.5),
  'gemini-2.5-flash-lite': google(0.1, 0.01, 0.4),
  'gemini-2.0-flash': google(0.1, 0.025, 0.4),
  'gemini-2.0-flash-lite': google(0.075, undefined, 0.3),
  'gemini-1.5-pro': google(1.25, 0.3125, 5),
  'gemini-1.5-flash': google(0.075, 0.01875, 0.3),
  'gemini-1.5-flash-8b': google(0.0375, 0.01, 0.15),
  'gemini-embedding-001': google(0.15, undefined, 0),

  // --- Mistral (pinned versions; `-latest` aliases moved between differently priced models)
  'mistral-large-2411': mistral(2, 6),
  'mistral-large-2407': mistral(2, 6),
  'pixtral-large-2411': mistral(2, 6),
  'mistral-medium-2505': mistral(0.4, 2),
  'mistral-medium-2508': mistral(0.4, 2),
  'mistral-small-2503': mistral(0.1, 0.3),
  'mistral-small-2506': mistral(0.1, 0.3),
  codestral: mistral(0.3, 0.9),
  'magistral-medium': mistral(2, 5),
  'magistral-small': mistral(0.5, 1.5),
  'ministral-8b-2410': mistral(0.1, 0.1),
  'ministral-3b-2410': mistral(0.04, 0.04),
  'open-mistral-nemo': mistral(0.15, 0.15),
  'mistral-embed': mistral(0.1, 0),

  // --- DeepSeek: deepseek-chat / deepseek-reasoner are aliases of V4-Flash (non-thinking / thinking) since
  // April 2026, same rate either way. V4-Pro is left out: its post-promotion list price is not settled in our sources.
  'deepseek-v4-flash': deepseek(0.14, 0.0028, 0.28),
  'deepseek-chat': deepseek(0.14, 0.0028, 0.28),
  'deepseek-reasoner': deepseek(0.14, 0.0028, 0.28),

  // --- xAI
  'grok-4': xai(3, 0.75, 15),
  'grok-4-fast': xai(0.2, 0.05, 0.5),
  'grok-4-fast-reasoning': xai(0.2, 0.05, 0.5),
  'grok-4-fast-non-reasoning': xai(0.2, 0.05, 0.5),
  'grok-4-1-fast-reasoning': xai(0.2, 0.05, 0.5),
  'grok-4-1-fast-non-reasoning': xai(0.2, 0.05, 0.5),
  'grok-code-fast-1': xai(0.2, 0.02, 1.5),
  'grok-3': xai(3, 0.75, 15),
  'grok-3-fast': xai(5, 1.25, 25),
  'grok-3-mini': xai(0.3, 0.075, 0.5),
  'grok-3-mini-fast': xai(0.6, 0.15, 4),
  'grok-2': xai(2, undefined, 10),
  'grok-2-vision': xai(2, undefined, 10),
};

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
