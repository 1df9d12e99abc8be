// Types for launch.mjs, so TypeScript tests can import it under `strict`.
import type { Browser, Frame, Locator, Page } from 'playwright-core';

export const REPO_ROOT: string;
export const CHROMIUM_PATH: string;

export interface PackagedVsix {
  vsixPath: string;
  bytes: number;
  /** Packaging only, without the build. */
  ms: number;
}
export function packageVsix(options?: { root?: string; outFile?: string; build?: boolean }): PackagedVsix;

export function freePort(): Promise<number>;
export function firstFreePort(preferred: number): Promise<number>;

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  /** Temp dir holding the profile and code-server.log; removed by stop() unless kept. */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  logsDir: string;
  logFile: string;
  /** Ends code-server's whole process group; keepFiles defaults to $SPANLIGHT_KEEP_E2E_DIRS. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}
export function startCodeServer(options: {
  workspace?: string;
  vsixPath?: string;
  port?: number;
  settings?: Record<string, unknown>;
  /** Passed to the VS Code server as `--vscode-option <flag[=value]>`. */
  vscodeOptions?: string[];
  timeoutMs?: number;
}): Promise<CodeServer>;

export function openWorkbench(
  url: string,
  folder?: string,
  options?: {
    timeoutMs?: number;
    headless?: boolean;
    /** The workbench's ?payload= pairs, e.g. [['extensionTestsPath', 'vscode-remote://…']]. */
    payload?: [string, string][];
    /** Runs before navigation (page.exposeFunction must precede the page's scripts). */
    beforeLoad?: (page: Page) => Promise<void>;
    permissions?: string[];
  },
): Promise<{ browser: Browser; page: Page; readyMs: number }>;

export function statusBarItem(page: Page, text: string): Locator;
export function findFrameWith(page: Page, selector: string, timeoutMs?: number): Promise<Frame>;
export function findExthostLog(userDataDir: string): string | undefined;
export function captureFailure(options: {
  name: string;
  page?: Page;
  server?: CodeServer;
  resultsDir?: string;
}): Promise<string[]>;
