// UI suite of the pipeline graph, on a copy of examples/ with the installed extension: open the ETL
// pipeline, "Show Pipeline Graph" from the command palette, run the pipeline, and watch its nodes
// turn completed inside the webview. The webview's document sits in iframes nested in the
// workbench, so the graph is looked up in whichever frame holds it. Screenshots: ui-graph-NN.png.
// Environment: see uiRunner.cjs. Exit: 0 all passed, 1 a check failed, 2 harness error.
'use strict';
/* global document, window, performance, requestAnimationFrame -- the frame.evaluate callbacks run in the webview's page, not in Node */
const fs = require('node:fs');
const path = require('node:path');
const { until, quickOpen, commandPalette, graphNodes, main } = require('./uiRunner.cjs');

const BLOCKS = ['check', 'extract', 'load', 'transform'];
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

const ids = (found) => (found === undefined ? [] : Object.keys(found.nodes).sort());
const describe = (found) => (found === undefined ? 'no frame with the graph' : JSON.stringify(found.nodes));

check('the workbench opens the examples folder and the ETL pipeline', async (page) => {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
  await quickOpen(page, 'etl.pipeline.yaml');
});

check('"Show Pipeline Graph" from the command palette draws every block in a webview beside the editor', async (page) => {
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  await page.locator('.tabs-container .tab', { hasText: 'Graph: etl.pipeline.yaml' }).waitFor({ timeout: 60000 });
  const found = await until(page, 'the graph nodes in a webview frame', () => graphNodes(page), (f) => ids(f).join() === BLOCKS.join(), 30000);
  // Nothing has run yet: no node carries a status.
  const coloured = Object.entries(found.nodes).filter(([, cls]) => /\bs-/.test(cls));
  if (coloured.length > 0) throw new Error(`nodes coloured before any run: ${describe(found)}`);
  // Every node says what it is to a screen reader.
  const labels = await found.frame.evaluate(() => [...document.querySelectorAll('svg.graph g.node')].map((g) => g.getAttribute('aria-label') || ''));
  if (!labels.every((l) => /^Block [a-z]+/.test(l))) throw new Error(`nodes without an accessible label: ${JSON.stringify(labels)}`);
});

check('running the pipeline turns every node completed', async (page) => {
  // From the editor, so that the palette's command knows which pipeline to run.
  await page.locator('.tabs-container .tab', { hasText: /^etl\.pipeline\.yaml/ }).first().click();
  await commandPalette(page, 'Pipeline Studio: Run Pipeline with Defaults');
  const done = await until(
    page,
    'every node completed in the graph',
    () => graphNodes(page),
    (f) => f !== undefined && BLOCKS.every((b) => /\bs-completed\b/.test(f.nodes[b] || '')),
    90000,
  );
  // The run's own status follows its last block's (run-finished comes after block-finished), so the
  // header is waited for too rather than read once; still only "#1 … completed" passes.
  await until(page, 'the header to show run #1 completed', () => done.frame.evaluate(() => document.body.innerText), (header) => /#1/.test(header) && /completed/.test(header));
});

check('the finished graph, fitted again once the terminal panel is hidden', async (page) => {
  await commandPalette(page, 'View: Hide Panel');
  await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 60000 });
  const found = await until(page, 'the graph still completed', () => graphNodes(page), (f) => f !== undefined && BLOCKS.every((b) => /\bs-completed\b/.test(f.nodes[b] || '')), 10000);
  // The panel beside the editor is taller than wide: the layout is top to bottom on its own, and
  // Fit keeps the four blocks at a readable size (100%, centred) instead of shrinking them.
  await found.frame.getByRole('button', { name: 'Fit' }).click();
  const shown = await until(
    page,
    'the nodes drawn at a readable size',
    () => found.frame.evaluate(() => ({ direction: document.querySelector('vscode-button[title="Switch the layout direction"]')?.textContent, widths: [...document.querySelectorAll('svg.graph g.node rect.box')].map((r) => Math.round(r.getBoundingClientRect().width)) })),
    (s) => s.widths.length === BLOCKS.length && s.widths.every((w) => w >= 138),
  );
  const size = await found.frame.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
  if (size.height > size.width && shown.direction !== 'Left to right') throw new Error(`a tall panel (${JSON.stringify(size)}) is not laid out top to bottom: ${JSON.stringify(shown)}`);
  // The screenshot after this check is the one docs/images/graph.png is chosen from.
  await found.frame.locator('svg.graph g.node').first().waitFor({ state: 'visible', timeout: 60000 });
});

/** 3,000 blocks: 30 chains of 100, each block also depending on the one 100 before it. */
function writeBigPipeline() {
  const ids = Array.from({ length: 3000 }, (_, i) => `b${String(i).padStart(4, '0')}`);
  const deps = (i) => [...(i % 100 === 0 ? [] : [ids[i - 1]]), ...(i >= 100 ? [ids[i - 100]] : [])];
  const lines = ['name: big', 'blocks:', ...ids.flatMap((id, i) => [`  ${id}:`, '    run: "true"', ...(deps(i).length === 0 ? [] : [`    depends_on: [${deps(i).join(', ')}]`])])];
  fs.writeFileSync(path.join(path.resolve(process.env.E2E_WORKSPACE || '.'), 'big.pipeline.yaml'), `${lines.join('\n')}\n`);
}

/** The frame of the 3,000-block graph: the one whose nodes are b0000… or drawn as far paths. */
async function bigGraph(page) {
  for (const frame of page.frames()) {
    const seen = await frame
      .evaluate(() => {
        const svg = document.querySelector('svg.graph');
        if (svg === null) return undefined;
        const nodes = [...svg.querySelectorAll('g.node')];
        return { far: svg.querySelectorAll('path.far-nodes').length, big: nodes.some((g) => /^b\d{4}$/.test(g.getAttribute('data-id') || '')), elements: svg.querySelectorAll('*').length };
      })
      .catch(() => undefined);
    if (seen !== undefined && (seen.far > 0 || seen.big)) return { frame, ...seen };
  }
  return undefined;
}

check('a 3,000-block pipeline: culled overview, the minimap, find by id, and the pan frame rate with the mouse', async (page) => {
  writeBigPipeline();
  // Opened from the Explorer, which lists a new file on the watcher's event: Quick Open's file search
  // can list a file created mid-session late (a dry run waited 60 s for it in vain).
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'big.pipeline.yaml' });
  await row.waitFor({ timeout: 60000 });
  await row.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'big.pipeline.yaml' }).waitFor({ timeout: 60000 });
  await commandPalette(page, 'Pipeline Studio: Show Pipeline Graph');
  await page.locator('.tabs-container .tab', { hasText: 'Graph: big.pipeline.yaml' }).waitFor({ timeout: 60000 });
  // Fitted, 3,000 blocks are far too small to read: drawn as a few paths, not ~12,000 elements.
  const overview = await until(page, 'the big graph drawn zoomed out', () => bigGraph(page), (g) => g !== undefined && g.far > 0, 300000);
  if (overview.elements > 1000) throw new Error(`${overview.elements} svg elements at overview: the graph is not culled`);
  const frame = overview.frame;
  const minimap = await frame.evaluate(() => {
    const canvas = document.querySelector('canvas.minimap');
    const r = canvas === null ? undefined : canvas.getBoundingClientRect();
    return r === undefined ? undefined : { width: r.width, height: r.height };
  });
  if (minimap === undefined || minimap.width < 40 || minimap.height < 20) throw new Error(`no minimap shown: ${JSON.stringify(minimap)}`);
  // Find by id, Enter: the block is centred, selected and has the keyboard focus.
  await frame.locator('vscode-textfield.search input').fill('b1550');
  await frame.locator('vscode-textfield.search input').press('Enter');
  await until(page, 'b1550 found, selected and focused', () => frame.evaluate(() => ({ focused: document.activeElement && document.activeElement.getAttribute('data-id'), cls: (document.querySelector('g.node[data-id="b1550"]') || { getAttribute: () => '' }).getAttribute('class') })), (f) => f.focused === 'b1550' && /\bselected\b/.test(f.cls || ''));
  // A point of the graph's background (not a node, the minimap or a button), in the frame's coordinates.
  const start = await frame.evaluate(() => {
    const svg = document.querySelector('svg.graph');
    const host = document.querySelector('.graph-host').getBoundingClientRect();
    for (let y = host.top + 20; y < host.bottom - 20; y += 15) {
      for (let x = host.left + 20; x < host.right - 20; x += 15) {
        const hit = document.elementFromPoint(x, y);
        if (hit !== null && (hit === svg || svg.contains(hit)) && hit.closest('g.node, .far-nodes') === null) return { x, y };
      }
    }
    return undefined;
  });
  if (start === undefined) throw new Error('no background point to drag the graph by');
  const offset = await (await frame.frameElement()).boundingBox();
  const before = await frame.evaluate(() => document.querySelector('svg.graph g.world').getAttribute('transform'));
  // The frame rate with nothing to do, in the same page: this machine's ceiling right now.
  const idle = await frame.evaluate(
    () =>
      new Promise((done) => {
        const times = [];
        const step = (t) => {
          times.push(t);
          if (times.length > 120) done(((times.length - 1) / (times[times.length - 1] - times[0])) * 1000);
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
  );
  // Frames counted in the page (requestAnimationFrame) while real mouse events drag the graph.
  await frame.evaluate(() => {
    window.__frames = [];
    window.__counting = true;
    const step = (t) => {
      window.__frames.push(t);
      if (window.__counting) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  const t0 = await frame.evaluate(() => performance.now());
  await page.mouse.move(offset.x + start.x, offset.y + start.y);
  await page.mouse.down();
  for (let i = 0; i < 120; i++) await page.mouse.move(offset.x + start.x + (i % 60 < 30 ? i % 30 : 30 - (i % 30)) * 6, offset.y + start.y + (i % 30));
  await page.mouse.up();
  const measured = await frame.evaluate((from) => {
    window.__counting = false;
    const times = window.__frames.filter((t) => t >= from);
    return { frames: times.length, fps: ((times.length - 1) / ((times[times.length - 1] || 0) - (times[0] || 0))) * 1000 };
  }, t0);
  const after = await until(page, 'the view moved by the drag', () => frame.evaluate(() => document.querySelector('svg.graph g.world').getAttribute('transform')), (t) => t !== before);
  if (measured.frames < 10) throw new Error(`only ${measured.frames} frames during the drag`);
  console.log(`     3,000 blocks in the workbench: ${overview.elements} svg elements at overview; mouse pan at ~80%: ${measured.fps.toFixed(1)} frames per second over ${measured.frames} frames, idle page ${idle.toFixed(1)} (view ${before} → ${after})`);
});

main(checks, 'ui-graph');
