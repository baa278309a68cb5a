import type { Direction, GraphLayout, GraphModel, LayoutRequest, LayoutResponse } from '../protocol.ts';

/**
 * Talks to the elkjs worker. A webview's scripts come from another origin than the page, which a
 * Worker refuses, so the script is fetched and started from a blob: URL (CSP: worker-src blob:).
 * Without a worker the preliminary layout simply stays.
 */
export class LayoutClient {
  private worker: Promise<Worker | undefined>;
  private seq = 0;
  private readonly onLayout: (layout: GraphLayout) => void;
  private readonly onError: (message: string) => void;

  constructor(url: string | undefined, onLayout: (layout: GraphLayout) => void, onError: (message: string) => void) {
    this.onLayout = onLayout;
    this.onError = onError;
    this.worker = url === undefined ? Promise.resolve(undefined) : this.start(url);
  }

  request(model: GraphModel, direction: Direction, hash: string): void {
    const message: LayoutRequest = { seq: ++this.seq, model, direction, hash };
    void this.worker.then((worker) => worker?.postMessage(message));
  }

  private async start(url: string): Promise<Worker | undefined> {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = new Blob([await response.text()], { type: 'text/javascript' });
      const worker = new Worker(URL.createObjectURL(blob));
      worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
        const data = event.data;
        if (data.seq !== this.seq) return;
        if ('error' in data) this.onError(`Layout failed: ${data.error}`);
        else this.onLayout(data.layout);
      };
      worker.onerror = (event) => this.onError(`Layout worker failed: ${event.message}`);
      return worker;
    } catch (error) {
      this.onError(`Layout worker unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}
