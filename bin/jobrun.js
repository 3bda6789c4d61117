#!/usr/bin/env node
// The CLI is TypeScript run through tsx, like `npm run api`: no build step to forget.
'use strict';

const path = require('node:path');
require('tsx/cjs/api').register();

const { main } = require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
const { loadEnvFileOrExit } = require(path.join(__dirname, '..', 'src', 'config.ts'));

loadEnvFileOrExit();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`jobrun: internal error: ${String((err && err.message) || err).split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
