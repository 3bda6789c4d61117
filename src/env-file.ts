// A `.env` file beside package.json, read by `npm start`, `npm run api`,
// `npm run worker` and the CLI before their configuration is parsed. The
// environment wins: a variable already set is never replaced. JOBRUN_ENV_FILE
// names another file, or `none` (the test suite's processes read none).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config';
import { ROOT } from './paths';

const DEFAULT_FILE = path.join(ROOT, '.env');

/** The names it set, for a log line. */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string[] {
  const choice = env.JOBRUN_ENV_FILE;
  if (choice === 'none') return [];
  const file = choice || DEFAULT_FILE;
  if (!existsSync(file)) {
    if (choice) throw new ConfigError(`JOBRUN_ENV_FILE: ${file} does not exist`);
    return [];
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
