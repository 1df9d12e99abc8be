// The shape of vscode.EventEmitter without depending on `vscode`, so the store and receiver
// run headless (CLI, tests) and still plug straight into the extension's disposables.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // One broken subscriber must not stop the others or the ingest path that fired.
        console.error('Spanlight: event listener failed', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
