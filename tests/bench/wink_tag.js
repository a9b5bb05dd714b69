// The peer of `make bench`'s NLP bench: wink-nlp's part-of-speech tagging of
// the same texts (one per line of stdin, JSON-encoded), best of N runs.
// Prints JSON: {"seconds": best, "tokens": n}.
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const nlp = winkNLP(model);
const its = nlp.its;
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length);
const texts = lines.map((l) => JSON.parse(l));
const runs = parseInt(process.argv[2] || '3', 10);
let best = Infinity;
let tokens = 0;
for (let r = 0; r < runs; r++) {
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (const t of texts) n += nlp.readDoc(t).tokens().out(its.pos).length;
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  if (dt < best) best = dt;
  tokens = n;
}
console.log(JSON.stringify({ seconds: best, tokens }));
