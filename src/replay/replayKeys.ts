// API keys for replays, one per endpoint origin, kept only in VS Code's SecretStorage: never in settings,
// logs or traces. A key is asked for the first time an origin needs one; a server on this machine (a
// local model, a proxy, the demo's fake) is sent a placeholder unless the user stored a key for it.
import * as vscode from 'vscode';
import { isLoopbackUrl, keyOrigin } from './endpoints';

const KEY_PREFIX = 'spanlight.replay.apiKey:';
/** The origins a key is stored for (SecretStorage cannot list its keys on the VS Code versions supported). */
const ORIGINS_KEY = 'spanlight.replay.origins';
/** What a local server gets without a stored key: the `openai` SDK refuses to send a request without one. */
const LOCAL_PLACEHOLDER_KEY = 'spanlight-replay';

export class ReplayKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The key to send to `baseUrl`; asked for (and stored) when there is none. Undefined: the user declined. */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const origin = keyOrigin(baseUrl);
    if (!origin) return undefined;
    const stored = await this.secrets.get(KEY_PREFIX + origin);
    if (stored) return stored;
    if (isLoopbackUrl(baseUrl)) return LOCAL_PLACEHOLDER_KEY;
    const key = await vscode.window.showInputBox({
      title: `Spanlight: API key for ${origin}`,
      prompt: `Replays to ${origin} send this key. It is kept in VS Code's secret storage, for this origin only.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Enter the key, or press Escape to cancel the replay.' : undefined),
    });
    if (!key?.trim()) return undefined;
    await this.secrets.store(KEY_PREFIX + origin, key.trim());
    await this.saveOrigins([...(await this.origins()), origin]);
    return key.trim();
  }

  /** Deletes every stored replay key; returns how many there were. */
  async forgetAll(): Promise<number> {
    const origins = await this.origins();
    for (const origin of origins) await this.secrets.delete(KEY_PREFIX + origin);
    await this.secrets.delete(ORIGINS_KEY);
    return origins.length;
  }

  private async origins(): Promise<string[]> {
    try {
      const parsed: unknown = JSON.parse((await this.secrets.get(ORIGINS_KEY)) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
    } catch {
      return [];
    }
  }

  private async saveOrigins(origins: string[]): Promise<void> {
    await this.secrets.store(ORIGINS_KEY, JSON.stringify([...new Set(origins)]));
  }
}
