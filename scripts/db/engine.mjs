// Prisma's native schema engine cannot be downloaded on these machines, so migrations run through the
// WebAssembly schema engine with the pg driver adapter (needs `node --experimental-wasm-modules`).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const schemaPath = path.join(root, 'prisma/schema.prisma');
export const migrationsDir = path.join(root, 'prisma/migrations');
export const NO_FILTER = { externalTables: [], externalEnums: [] };

export function schemaFiles() {
  return [{ path: 'schema.prisma', content: readFileSync(schemaPath, 'utf8') }];
}

export async function openEngine(databaseUrl) {
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const files = schemaFiles();
  return SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, () => {}, adapter);
}

export function loadMigrations() {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .filter((d) => statSync(path.join(migrationsDir, d)).isDirectory())
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((d) => {
      const file = path.join(migrationsDir, d, 'migration.sql');
      return {
        path: d,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', value: `missing ${file}` },
        },
      };
    }),
  };
}

export function databaseUrlFromEnv() {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
}
