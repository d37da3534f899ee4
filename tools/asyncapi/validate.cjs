#!/usr/bin/env node
// Validate AsyncAPI documents with the official parser (@asyncapi/parser 3.x, offline).
// Usage: node validate.cjs FILE...   Exit 0 when every file parses with no error
// diagnostic; prints one JSON summary line per file for the tests to read.
"use strict";
const fs = require("node:fs");
const { Parser, DiagnosticSeverity } = require("@asyncapi/parser");

async function validate(path) {
  const parser = new Parser();
  const { document, diagnostics } = await parser.parse(fs.readFileSync(path, "utf8"), { source: path });
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  const warnings = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning);
  const summary = {
    file: path,
    valid: document !== undefined && errors.length === 0,
    version: document ? document.version() : null,
    channels: document ? document.allChannels().length : 0,
    operations: document ? document.allOperations().length : 0,
    messages: document ? document.allMessages().length : 0,
    errors: errors.map((d) => `${d.code}: ${d.message} at /${d.path.join("/")}`),
    warnings: warnings.map((d) => `${d.code}: ${d.message} at /${d.path.join("/")}`),
  };
  console.log(JSON.stringify(summary));
  return summary.valid;
}

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node validate.cjs FILE...");
    process.exit(2);
  }
  let ok = true;
  for (const file of files) ok = (await validate(file)) && ok;
  process.exit(ok ? 0 : 1);
})().catch((err) => {
  console.error(err);
  process.exit(2);
});
