import path from 'node:path';
import { run } from './exec';
import { ROOT } from '../paths';


/** `prisma migrate deploy` against one database: what `npm run db:migrate` runs. */
export function migrate(databaseUrl: string): void {
  run(
    path.join(ROOT, 'node_modules', '.bin', 'prisma'),
    ['migrate', 'deploy', '--config', path.join(ROOT, 'prisma.config.ts')],
    'applying migrations',
    { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  );
}
