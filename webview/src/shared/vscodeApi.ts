// The typed bridge to the extension host. Message types come from src/protocol (types only), so a renamed
// field is a compile error on both sides.

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): S;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export interface HostBridge<In, Out, S> {
  post(message: Out): void;
  /** Saved UI state: survives the webview being hidden and shown again. */
  loadState(): Partial<S>;
  saveState(state: S): void;
  onMessage(handler: (message: In) => void): void;
}

export function connectToHost<In, Out, S>(): HostBridge<In, Out, S> {
  // acquireVsCodeApi may be called once per page.
  const api = acquireVsCodeApi<S>();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState() ?? {},
    saveState: (state) => void api.setState(state),
    onMessage: (handler) => window.addEventListener('message', (event: MessageEvent<In>) => handler(event.data)),
  };
}
