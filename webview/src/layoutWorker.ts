// The layout worker: elkjs runs here so that a multi-second layout never blocks the page. The page
// ignores answers to requests it has since replaced (by `seq`).
import type { ELK as ElkApi, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';
import * as elkBundle from 'elkjs/lib/elk.bundled.js';
import { elkOptionsFor, fromElkGraph, toElkGraph } from './layout/elkLayout.ts';
import type { LayoutRequest, LayoutResponse } from './protocol.ts';

// Typed by hand: the webview's tsconfig has the DOM library, whose `self` is a Window.
const scope = self as unknown as { onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null; postMessage(message: LayoutResponse): void };
// A CommonJS module whose d.ts declares an ES default export; read the default either way.
const ELK = (elkBundle as unknown as { default: new (args?: ELKConstructorArguments) => ElkApi }).default;
const elk = new ELK();
let latest = 0;
// elk is compiled Java: its first layout runs cold. A tiny one while the page is still loading
// makes the first real layout noticeably faster.
void elk.layout({ id: 'warm', children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] });

scope.onmessage = (event) => {
  const request = event.data;
  latest = Math.max(latest, request.seq);
  // Requests queue while elk works; only the newest is still wanted.
  setTimeout(() => {
    if (request.seq !== latest) return;
    void layout(request);
  }, 0);
};

async function layout(request: LayoutRequest): Promise<void> {
  let response: LayoutResponse;
  try {
    const result = await elk.layout(toElkGraph(request.model, request.direction, elkOptionsFor(request.model.nodes.length)));
    response = { seq: request.seq, layout: fromElkGraph(result, request.model, request.direction, request.hash) };
  } catch (error) {
    response = { seq: request.seq, error: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(response);
}
