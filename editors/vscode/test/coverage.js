#!/usr/bin/env node
// Tokenizes .dpol files with syntaxes/dpol.tmLanguage.json (the engine VS Code uses,
// via vscode-tmgrammar-test's registry) and fails when any non-blank text gets no
// scope besides `source.dpol`, or gets an `invalid.*` scope. This catches grammar gaps
// in real policies without keeping snapshots of them.
//
// usage: node test/coverage.js FILE_OR_DIR...   (a directory means its *.dpol files;
//        a missing directory is skipped, so it works before examples/ exists)
'use strict';
const fs = require('fs');
const path = require('path');
const { createRegistry } = require('vscode-tmgrammar-test/dist/common/index.js');

const grammarPath = path.join(__dirname, '..', 'syntaxes', 'dpol.tmLanguage.json');

function collect(args) {
  const files = [];
  for (const arg of args) {
    if (!fs.existsSync(arg)) {
      console.log(`coverage: ${arg} does not exist, skipped`);
      continue;
    }
    if (fs.statSync(arg).isDirectory()) {
      const found = fs.readdirSync(arg).filter((f) => f.endsWith('.dpol')).sort();
      if (found.length === 0) console.log(`coverage: no .dpol files in ${arg}`);
      files.push(...found.map((f) => path.join(arg, f)));
    } else {
      files.push(arg);
    }
  }
  return files;
}

async function main() {
  const files = collect(process.argv.slice(2));
  const registry = createRegistry([{ path: grammarPath, scopeName: 'source.dpol' }]);
  const grammar = await registry.loadGrammar('source.dpol');
  const problems = [];
  let tokens = 0;
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    let stack = null; // vscode-textmate's INITIAL
    lines.forEach((line, i) => {
      const r = grammar.tokenizeLine(line, stack);
      stack = r.ruleStack;
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        if (text.trim() === '') continue;
        tokens++;
        const where = `${file}:${i + 1}:${t.startIndex + 1}`;
        if (t.scopes.length === 1) {
          problems.push(`${where}: ${JSON.stringify(text)} is not highlighted`);
        }
        const bad = t.scopes.find((s) => s.startsWith('invalid.'));
        if (bad) problems.push(`${where}: ${JSON.stringify(text)} is ${bad}`);
      }
    });
  }
  for (const p of problems) console.log(`ERROR ${p}`);
  console.log(`coverage: ${files.length} files, ${tokens} tokens, ${problems.length} problems`);
  process.exit(problems.length === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
