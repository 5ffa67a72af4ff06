#!/usr/bin/env node
// `npm run db:migrate`: applies every pending migration in prisma/migrations to DATABASE_URL
// (the equivalent of `prisma migrate deploy`, without the native engine).
import { openEngine, loadMigrations, databaseUrlFromEnv, NO_FILTER } from './engine.mjs';

export async function migrate({ databaseUrl = databaseUrlFromEnv(), quiet = false } = {}) {
  const engine = await openEngine(databaseUrl);
  try {
    const out = await engine.applyMigrations({ migrationsList: loadMigrations(), filters: NO_FILTER });
    if (!quiet) {
      const names = out.appliedMigrationNames;
      console.log(
        names.length
          ? `Applied ${names.length} migration(s): ${names.join(', ')}`
          : 'Database is up to date.',
      );
    }
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  migrate().catch((err) => {
    console.error(`Migration failed: ${err.message}`);
    process.exit(1);
  });
}
