import './graph.css';
import { GraphApp, type VsCodeApi } from './graphApp.ts';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('root') ?? document.body;
const workerUrl = document.querySelector<HTMLMetaElement>('meta[name="layout-worker"]')?.content;
const app = new GraphApp(root, acquireVsCodeApi(), workerUrl);
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
app.start();
