// Mozilla Readability on the pages `sitrep eval extraction --dump-pages` wrote (JSON lines {set, id, html}).
// Times parse + extraction only (the pages are read and held in memory first), over several passes (wall clock
// and the process's CPU time, user + system, which a loaded machine disturbs less), and writes
// the text of the first pass as {"set/id": text} for `sitrep eval extraction --predictions`.
// usage: node extract.mjs PAGES.jsonl --dom jsdom|linkedom [--passes N] [--out FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Readability } from '@mozilla/readability';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const pagesPath = args[0];
const dom = opt('--dom', 'jsdom');
const passes = Number(opt('--passes', '3'));
const out = opt('--out', `readability-${dom}.json`);

const pages = readFileSync(pagesPath, 'utf-8').split('\n').filter(Boolean).map(l => JSON.parse(l));

let parse;
if (dom === 'jsdom') {
  const { JSDOM, VirtualConsole } = await import('jsdom');
  const vc = new VirtualConsole(); // silence CSS parse errors
  parse = html => {
    const window = new JSDOM(html, { url: 'https://example.com/', virtualConsole: vc }).window;
    return { document: window.document, close: () => window.close() }; // close, or every page's window stays in memory
  };
} else if (dom === 'linkedom') {
  const { parseHTML } = await import('linkedom');
  parse = html => ({ document: parseHTML(html).document, close: () => {} });
} else {
  console.error(`unknown --dom ${dom}`);
  process.exit(2);
}

function extract(html) {
  let page;
  try {
    page = parse(html);
    const article = new Readability(page.document).parse();
    return article && article.textContent ? article.textContent : '';
  } catch (e) {
    return '';
  } finally {
    if (page) page.close();
  }
}

const texts = {};
let best = Infinity, bestCpu = Infinity, errors = 0;
for (let pass = 0; pass < passes; pass++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const p of pages) {
    const text = extract(p.html);
    if (pass === 0) { texts[`${p.set}/${p.id}`] = text; if (!text) errors++; }
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  best = Math.min(best, s);
  bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
}
writeFileSync(out, JSON.stringify(texts));
console.log(`extractor: readability.js ${dom}`);
console.log(`pages: ${pages.length}`);
console.log(`empty: ${errors}`);
console.log(`passes: ${passes}`);
console.log(`seconds_best_pass: ${best.toFixed(3)}`);
console.log(`cpu_seconds_best_pass: ${bestCpu.toFixed(3)}`);
console.log(`pages_per_cpu_second: ${(pages.length / bestCpu).toFixed(1)}`);
console.log(`load_average: ${loadavg().map(x => x.toFixed(2)).join(' ')}`);
console.log(`pages_per_second: ${(pages.length / best).toFixed(1)}`);
