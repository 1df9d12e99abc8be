// Types for runIntegration.mjs, so test/e2e/integration.test.ts can import it under `strict`.

/** One test of the in-host suite, as test/integration/index.ts records it. */
export interface IntegrationResult {
  /** Suite and test title, e.g. "Commands Copy OTLP Endpoint puts the receiver URL on the clipboard". */
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface IntegrationRun {
  results: IntegrationResult[];
  /** The extension host's verdict: 0 all passed, 1 failures; undefined when `problem` says why there is none. */
  exitCode: number | undefined;
  /** The suite did not start, or did not finish, in time. */
  problem?: string;
  ms: number;
  /** Screenshot, log paths and the extension host log's tail, when something failed. */
  diagnostics: string[];
}

export function runIntegrationInCodeServer(options?: {
  vsixPath?: string;
  onResult?: (result: IntegrationResult) => void;
  timeoutMs?: number;
}): Promise<IntegrationRun>;
