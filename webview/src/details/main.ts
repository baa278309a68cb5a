import './details.css';
import { DetailsApp, type VsCodeApi } from './detailsApp.ts';
import type { HostMessage } from './protocol.ts';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('root') ?? document.body;
const app = new DetailsApp(root, acquireVsCodeApi());
window.addEventListener('message', (event: MessageEvent<HostMessage>) => app.receive(event.data));
app.start();
