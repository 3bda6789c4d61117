#!/usr/bin/env node
// In production (NODE_ENV=production, as in the image) the CLI runs compiled, from dist/
// (npm run build), like `npm run api`; elsewhere it is the TypeScript through tsx, so that
// there is no build step to forget while developing.
'use strict';

const path = require('node:path');
const compiled = process.env.NODE_ENV === 'production';
if (!compiled) require('tsx/cjs/api').register();
const src = (...parts) => path.join(__dirname, '..', ...(compiled ? ['dist', 'src'] : ['src']), ...parts) + (compiled ? '.js' : '.ts');

if (compiled && !require('node:fs').existsSync(src('cli', 'main'))) {
  process.stderr.write('jobrun: NODE_ENV=production runs the compiled CLI, and dist/ is not built: run `npm run build` first\n');
  process.exit(1);
}
const { main } = require(src('cli', 'main'));
const { loadEnvFileOrExit } = require(src('config'));

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
