#!/usr/bin/env node
// Snapshot tests over the project's real examples (../../examples/*.dpol, or the
// folder in $DPOL_EXAMPLES). The examples are copied to test/snap/examples/ (stale
// copies are removed); the first run records a .snap next to each, later runs fail
// with a diff when the highlighting changed. Accept changes with
// `npm run snap:examples -- --updateSnapshot`. The folder is git-ignored: it is a
// local baseline for grammar work, since the examples themselves change often
// (CI runs test/coverage.js over them instead).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const src = path.resolve(root, process.env.DPOL_EXAMPLES || path.join('..', '..', 'examples'));
const dst = path.join(__dirname, 'snap', 'examples');

const examples = fs.existsSync(src) ? fs.readdirSync(src).filter((f) => f.endsWith('.dpol')).sort() : [];
if (examples.length === 0) {
  console.log(`snap-examples: no .dpol files in ${src}, nothing to do`);
  process.exit(0);
}
fs.mkdirSync(dst, { recursive: true });
for (const f of fs.readdirSync(dst)) {
  const base = f.endsWith('.snap') ? f.slice(0, -'.snap'.length) : f;
  if (!examples.includes(base)) fs.rmSync(path.join(dst, f));
}
for (const f of examples) fs.copyFileSync(path.join(src, f), path.join(dst, f));

const bin = path.join(root, 'node_modules', '.bin', 'vscode-tmgrammar-snap');
const args = ['-g', 'syntaxes/dpol.tmLanguage.json', ...process.argv.slice(2), 'test/snap/examples/*.dpol'];
const r = spawnSync(bin, args, { cwd: root, stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
