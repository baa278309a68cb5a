import './dashboard.css';
import { DashboardApp, type VsCodeApi } from './dashboardApp.ts';

declare function acquireVsCodeApi(): VsCodeApi;

const app = new DashboardApp(document.getElementById('root') ?? document.body, acquireVsCodeApi());
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
app.start();
