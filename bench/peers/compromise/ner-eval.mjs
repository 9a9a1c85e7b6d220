#!/usr/bin/env node
// Peer benchmark: compromise (rule-based JS NLP) on CoNLL-2003 NER.
//
//   node ner-eval.mjs FILE [--runs N] [--modes sentence,doc,doc-space]
//
// compromise's people()/places()/organizations() are mapped to PER/LOC/ORG.
// Each match is mapped back to CoNLL token indices through character offsets
// (tokens are joined with single spaces, so every token has an exact
// character range), written as IOB2 tags and scored with conlleval
// semantics: a chunk is correct only if start, end and type are all exact.
//
// Output is `name: value` lines; the headline F1 is the last line.

import fs from 'node:fs';
import os from 'node:os';
import nlp from 'compromise';

const COMPROMISE_VERSION = nlp.version;

// ---------------------------------------------------------------- args
const args = process.argv.slice(2);
let file = null;
let runs = 3;
let modes = ['sentence', 'doc', 'doc-space'];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = parseInt(args[++i], 10);
  else if (args[i] === '--modes') modes = args[++i].split(',');
  else if (!file) file = args[i];
  else throw new Error(`unexpected argument ${args[i]}`);
}
if (!file) {
  console.error('usage: node ner-eval.mjs FILE [--runs N] [--modes sentence,doc,doc-space]');
  process.exit(2);
}
// Headline: sentence-level input. Document-level input ('doc', sentences joined
// by newlines) scores the same to within 0.01 F1, and 'doc-space' only gains
// through spans that cross gold sentence boundaries being split there (its
// strict_cross figures are below sentence-level). See README.md.
const HEADLINE_MODE = 'sentence';

// ---------------------------------------------------------------- parse
// docs: [[sentence]], sentence: {tokens: string[], tags: string[]}
function parseConll(path) {
  const docs = [];
  let doc = null;
  let sent = null;
  const endSentence = () => {
    if (sent && sent.tokens.length) {
      if (!doc) { doc = []; docs.push(doc); }
      doc.push(sent);
    }
    sent = null;
  };
  for (const raw of fs.readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') { endSentence(); continue; }
    const cols = line.split(/\s+/);
    if (cols[0] === '-DOCSTART-') { endSentence(); doc = []; docs.push(doc); continue; }
    if (!sent) sent = { tokens: [], tags: [] };
    sent.tokens.push(cols[0]);
    sent.tags.push(cols[cols.length - 1]);
  }
  endSentence();
  return docs.filter((d) => d.length);
}

// ---------------------------------------------------------------- conlleval chunking
// Straight port of conlleval's startOfChunk / endOfChunk (works for IOB1 and IOB2).
function splitTag(t) {
  if (t === 'O' || t === '') return ['O', ''];
  const i = t.indexOf('-');
  return i < 0 ? [t, ''] : [t.slice(0, i), t.slice(i + 1)];
}
function endOfChunk(pT, t, pY, y) {
  return (pT === 'B' && t === 'B') || (pT === 'B' && t === 'O') || (pT === 'I' && t === 'B') ||
    (pT === 'I' && t === 'O') || (pT === 'E' && t === 'E') || (pT === 'E' && t === 'I') ||
    (pT === 'E' && t === 'O') || (pT === 'I' && t === 'O') ||
    (pT !== 'O' && pT !== '.' && pY !== y) || pT === ']' || pT === '[';
}
function startOfChunk(pT, t, pY, y) {
  return (pT === 'B' && t === 'B') || (pT === 'I' && t === 'B') || (pT === 'O' && t === 'B') ||
    (pT === 'O' && t === 'I') || (pT === 'E' && t === 'E') || (pT === 'E' && t === 'I') ||
    (pT === 'O' && t === 'E') || (pT === 'O' && t === 'I') ||
    (t !== 'O' && t !== '.' && pY !== y) || t === '[' || t === ']';
}
// Returns chunks as [start, endExclusive, type] for one sentence.
function chunks(tags) {
  const out = [];
  let pT = 'O', pY = '', open = null;
  for (let i = 0; i <= tags.length; i++) {
    const [t, y] = i < tags.length ? splitTag(tags[i]) : ['O', ''];
    if (open && endOfChunk(pT, t, pY, y)) { out.push([open[0], i, open[1]]); open = null; }
    if (startOfChunk(pT, t, pY, y)) open = [i, y];
    pT = t; pY = y;
  }
  return out;
}

// ---------------------------------------------------------------- units (text handed to compromise)
// A unit is one string given to nlp(); tok[] records each token's character
// range and its (sentence, token) index so offsets map back exactly.
function buildUnits(docs, mode) {
  const units = [];
  let sid = 0;
  for (const doc of docs) {
    let unit = null;
    for (const s of doc) {
      if (mode === 'sentence' || !unit) {
        unit = { text: '', tok: [] };
        units.push(unit);
      } else if (mode === 'doc') {
        unit.text += '\n'; // compromise always splits sentences at a newline
      } else if (mode === 'doc-space') {
        unit.text += ' '; // running text: compromise finds sentence boundaries itself
      } else {
        throw new Error(`unknown mode ${mode}`);
      }
      s.tokens.forEach((w, i) => {
        if (i > 0) unit.text += ' ';
        unit.tok.push({ start: unit.text.length, end: unit.text.length + w.length, sid, i });
        unit.text += w;
      });
      sid++;
    }
  }
  return units;
}

// ---------------------------------------------------------------- the NLP calls (timed)
const SELECTORS = [['PER', 'people'], ['LOC', 'places'], ['ORG', 'organizations']];
function runCompromise(units) {
  const res = new Array(units.length);
  for (let u = 0; u < units.length; u++) {
    const doc = nlp(units[u].text);
    doc.compute('offset');
    const spans = [];
    for (const [type, fn] of SELECTORS) {
      for (const terms of doc[fn]().docs) {
        if (!terms.length) continue;
        const a = terms[0].offset, b = terms[terms.length - 1].offset;
        // term offsets exclude the term's pre/post punctuation and whitespace
        spans.push({ type, start: a.start, end: b.start + b.length });
      }
    }
    res[u] = spans;
  }
  return res;
}

// ---------------------------------------------------------------- mapping char spans -> token tags
const TYPE_PRIORITY = { PER: 0, ORG: 1, LOC: 2 };
// strictCross=false: a span crossing a CoNLL sentence boundary is split there,
//   which is exactly what conlleval sees once predictions are written as tags.
// strictCross=true: such a span is instead kept whole and counted as one wrong
//   prediction (it cannot match any gold chunk), so no credit comes from
//   gold sentence boundaries.
function toTags(docs, units, results, stats, strictCross = false) {
  const sents = docs.flat();
  const pred = sents.map((s) => new Array(s.tokens.length).fill('O'));
  const cands = sents.map(() => []);
  for (let u = 0; u < units.length; u++) {
    const tok = units[u].tok;
    for (const sp of results[u]) {
      stats.raw++;
      // covering tokens: first token ending after start, last token starting before end
      let a = tok.findIndex((t) => t.end > sp.start);
      let b = -1;
      for (let k = tok.length - 1; k >= 0; k--) if (tok[k].start < sp.end) { b = k; break; }
      if (a < 0 || b < a) { stats.unmappable++; continue; }
      const snapped = tok[a].start !== sp.start || tok[b].end !== sp.end;
      if (snapped) {
        stats.misaligned++;
        if (stats.misalignedExamples.length < 8) {
          stats.misalignedExamples.push(
            `${sp.type} ${JSON.stringify(units[u].text.slice(sp.start, sp.end))} -> ` +
            JSON.stringify(units[u].text.slice(tok[a].start, tok[b].end)));
        }
      }
      // split at CoNLL sentence boundaries (as tag output would)
      let k = a;
      const cross = tok[a].sid !== tok[b].sid;
      if (cross) {
        stats.crossSentence++;
        if (stats.crossExamples.length < 5) stats.crossExamples.push(`${sp.type} ${JSON.stringify(units[u].text.slice(sp.start, sp.end))}`);
        if (strictCross) { stats.extraWrong[sp.type] = (stats.extraWrong[sp.type] || 0) + 1; continue; }
      }
      while (k <= b) {
        let e = k;
        while (e + 1 <= b && tok[e + 1].sid === tok[k].sid) e++;
        cands[tok[k].sid].push({ type: sp.type, s: tok[k].i, e: tok[e].i + 1, snapped, cross });
        k = e + 1;
      }
    }
  }
  // resolve overlaps: longer span first, then earlier, then PER > ORG > LOC
  for (let s = 0; s < sents.length; s++) {
    const cs = cands[s].sort((x, y) => (y.e - y.s) - (x.e - x.s) || x.s - y.s ||
      TYPE_PRIORITY[x.type] - TYPE_PRIORITY[y.type]);
    const seen = new Set();
    const used = new Uint8Array(sents[s].tokens.length);
    for (const c of cs) {
      const key = `${c.s}:${c.e}:${c.type}`;
      if (seen.has(key)) { stats.duplicate++; continue; }
      seen.add(key);
      let clash = false;
      for (let i = c.s; i < c.e; i++) if (used[i]) { clash = true; break; }
      if (clash) { stats.overlapDropped++; continue; }
      for (let i = c.s; i < c.e; i++) { used[i] = 1; pred[s][i] = (i === c.s ? 'B-' : 'I-') + c.type; }
      if (c.snapped || c.cross) {
        const ok = chunks(sents[s].tags).some((g) => g[0] === c.s && g[1] === c.e && g[2] === c.type);
        if (ok && c.snapped) stats.snappedCorrect++;
        if (ok && c.cross) stats.crossPiecesCorrect++;
      }
    }
  }
  return pred;
}

// ---------------------------------------------------------------- scoring
function score(sents, pred, ignoreGoldTypes, extraWrong = {}) {
  const per = {};
  const bump = (y, k) => { per[y] ??= { gold: 0, pred: 0, correct: 0 }; per[y][k]++; };
  for (const [y, n] of Object.entries(extraWrong)) for (let i = 0; i < n; i++) bump(y, 'pred');
  for (let s = 0; s < sents.length; s++) {
    const g = chunks(sents[s].tags).filter((c) => !ignoreGoldTypes.has(c[2]));
    const p = chunks(pred[s]);
    const gk = new Set(g.map((c) => c.join(':')));
    for (const c of g) bump(c[2], 'gold');
    for (const c of p) { bump(c[2], 'pred'); if (gk.has(c.join(':'))) bump(c[2], 'correct'); }
  }
  const prf = ({ gold, pred, correct }) => {
    const p = pred ? correct / pred : 0, r = gold ? correct / gold : 0;
    return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0, gold, pred, correct };
  };
  const tot = Object.values(per).reduce((a, x) => ({ gold: a.gold + x.gold, pred: a.pred + x.pred, correct: a.correct + x.correct }), { gold: 0, pred: 0, correct: 0 });
  const byType = {};
  for (const y of Object.keys(per).sort()) byType[y] = prf(per[y]);
  return { all: prf(tot), byType };
}

// ---------------------------------------------------------------- main
const pct = (x) => (100 * x).toFixed(2);
const out = (k, v) => console.log(`${k}: ${v}`);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const docs = parseConll(file);
const sents = docs.flat();
const nTokens = sents.reduce((a, s) => a + s.tokens.length, 0);
out('compromise_version', COMPROMISE_VERSION);
out('node_version', process.version);
out('data', file);
out('documents', docs.length);
out('sentences', sents.length);
out('tokens', nTokens);
out('gold_entities', sents.reduce((a, s) => a + chunks(s.tags).length, 0));
out('loadavg_before', os.loadavg().map((x) => x.toFixed(2)).join(' '));

const headline = {};
for (const mode of modes) {
  const units = buildUnits(docs, mode);
  // sanity: the token ranges reproduce the tokens exactly
  for (const u of units) for (const t of u.tok) if (u.text.slice(t.start, t.end) !== sents[t.sid].tokens[t.i]) throw new Error('offset bug');

  const warm = runCompromise(units); // warm-up pass (also the pass that is scored)
  const times = [];
  const cpuTimes = []; // process CPU time (user+system, all threads incl. GC) - less sensitive to other load
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const res = runCompromise(units);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1e6);
    if (JSON.stringify(res) !== JSON.stringify(warm)) throw new Error('compromise output differs between passes');
  }

  const stats = { raw: 0, misaligned: 0, unmappable: 0, crossSentence: 0, duplicate: 0, overlapDropped: 0, snappedCorrect: 0, crossPiecesCorrect: 0, misalignedExamples: [], crossExamples: [], extraWrong: {} };
  const pred = toTags(docs, units, warm, stats);
  const m = `${mode}`;
  out(`${m}.units`, units.length);
  out(`${m}.raw_spans`, stats.raw);
  out(`${m}.misaligned_spans_snapped`, stats.misaligned);
  for (const ex of stats.misalignedExamples) out(`${m}.misaligned_example`, ex);
  out(`${m}.unmappable_spans`, stats.unmappable);
  out(`${m}.misaligned_spans_correct_after_snap`, stats.snappedCorrect);
  out(`${m}.cross_sentence_spans_split`, stats.crossSentence);
  for (const ex of stats.crossExamples) out(`${m}.cross_sentence_example`, ex);
  out(`${m}.cross_sentence_pieces_correct`, stats.crossPiecesCorrect);
  out(`${m}.duplicate_spans_merged`, stats.duplicate);
  out(`${m}.overlapping_spans_dropped`, stats.overlapDropped);

  const all = score(sents, pred, new Set());
  const ppl = score(sents, pred, new Set(['MISC']));
  for (const [name, r] of [['all4', all], ['per_loc_org', ppl]]) {
    out(`${m}.${name}.gold`, r.all.gold);
    out(`${m}.${name}.predicted`, r.all.pred);
    out(`${m}.${name}.correct`, r.all.correct);
    out(`${m}.${name}.precision`, pct(r.all.p));
    out(`${m}.${name}.recall`, pct(r.all.r));
    out(`${m}.${name}.f1`, pct(r.all.f));
  }
  for (const y of ['PER', 'LOC', 'ORG', 'MISC']) {
    const r = all.byType[y];
    if (!r) continue;
    out(`${m}.${y}.precision`, pct(r.p));
    out(`${m}.${y}.recall`, pct(r.r));
    out(`${m}.${y}.f1`, pct(r.f));
  }
  if (stats.crossSentence) {
    const st = { ...stats, crossSentence: 0, crossPiecesCorrect: 0, misaligned: 0, snappedCorrect: 0, raw: 0, duplicate: 0, overlapDropped: 0, misalignedExamples: [], crossExamples: [], extraWrong: {} };
    const predStrict = toTags(docs, units, warm, st, true);
    out(`${m}.strict_cross.all4.f1`, pct(score(sents, predStrict, new Set(), st.extraWrong).all.f));
    out(`${m}.strict_cross.per_loc_org.f1`, pct(score(sents, predStrict, new Set(['MISC']), st.extraWrong).all.f));
  }
  out(`${m}.seconds_runs`, times.map((t) => t.toFixed(3)).join(' '));
  out(`${m}.cpu_seconds_runs`, cpuTimes.map((t) => t.toFixed(3)).join(' '));
  out(`${m}.tokens_per_cpu_second`, Math.round(nTokens / median(cpuTimes)));
  out(`${m}.tokens_per_second`, Math.round(nTokens / median(times)));
  headline[mode] = { all, ppl, tps: Math.round(nTokens / median(times)) };
}
out('loadavg_after', os.loadavg().map((x) => x.toFixed(2)).join(' '));
const h = headline[HEADLINE_MODE] ? HEADLINE_MODE : modes[0];
out('headline_mode', h);
out('headline.tokens_per_second', headline[h].tps);
out('headline.per_loc_org.f1', pct(headline[h].ppl.all.f));
out('headline.f1', pct(headline[h].all.all.f));
