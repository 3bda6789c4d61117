#!/usr/bin/env node
// `prisma generate` reads the schema's datasource URL even though generating
// needs no database; a placeholder keeps it from falling back to downloading
// native engines, which cannot be fetched here.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!env.DATABASE_URL) env.DATABASE_URL = 'postgresql://placeholder@localhost:5432/placeholder';
const bin = path.join(__dirname, '..', 'node_modules', '.bin', 'prisma');
execFileSync(bin, ['generate'], { stdio: ['ignore', 'ignore', 'inherit'], env, cwd: path.join(__dirname, '..') });
