import path from 'node:path';

/** Where the workflow code lives, for the bundler. */
export const WORKFLOWS_PATH = path.join(__dirname, '..', '..', 'workflows', 'index.ts');

/** Modules the workflow bundle must never pull in (they are Node-only). */
export const IGNORED_MODULES = ['@prisma/client', 'pg', 'twilio', 'openai', 'pino'];
