#!/usr/bin/env node
// `npm run db:diff`                 prints the SQL that would bring the migrations up to prisma/schema.prisma
// `npm run db:diff -- --check`      exits 2 when schema.prisma has changes no migration captures (CI drift check)
// `npm run db:diff -- <name>`       writes that SQL as prisma/migrations/<timestamp>_<name>/migration.sql
import { mkdirSync, writeFileSync, existsSync, readFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import {
  openEngine,
  schemaFiles,
  schemaPath,
  migrationsDir,
  databaseUrlFromEnv,
  NO_FILTER,
} from './engine.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const name = args.find((a) => !a.startsWith('-'));

// The wasm engine cannot replay migrations into a shadow database, so the schema as of the latest migration
// is kept beside the migrations (schema.snapshot.prisma) and diffed datamodel-to-datamodel: no database needed.
const snapshotPath = path.join(migrationsDir, 'schema.snapshot.prisma');
const engine = await openEngine(databaseUrlFromEnv());
let sql;
try {
  const res = await engine.diff({
    from: existsSync(snapshotPath)
      ? {
          tag: 'schemaDatamodel',
          files: [{ path: 'schema.prisma', content: readFileSync(snapshotPath, 'utf8') }],
        }
      : { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: schemaFiles() },
    script: true,
    exitCode: null,
    filters: NO_FILTER,
  });
  sql = (res.stdout ?? '').trim();
} finally {
  engine.free();
}

const empty = !sql || /^-- This is an empty migration\.?$/.test(sql);
if (check) {
  if (empty) {
    console.log('Migrations match prisma/schema.prisma.');
    process.exit(0);
  }
  console.error(
    'prisma/schema.prisma has changes no migration captures. Run `npm run db:diff -- <name>`:\n' + sql,
  );
  process.exit(2);
}
if (!name) {
  console.log(empty ? '-- No changes: migrations match the schema.' : sql);
  process.exit(0);
}
if (empty) {
  console.log('No changes to write: migrations already match the schema.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_')}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql + '\n');
const lock = path.join(migrationsDir, 'migration_lock.toml');
if (!existsSync(lock))
  writeFileSync(lock, '# Do not edit: written by npm run db:diff\nprovider = "postgresql"\n');
copyFileSync(schemaPath, snapshotPath);
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
