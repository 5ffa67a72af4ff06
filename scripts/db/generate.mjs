#!/usr/bin/env node
// `npm run db:generate`: `prisma generate` needs no schema engine, but the Prisma 7 CLI tries to download one
// at start-up unless PRISMA_SCHEMA_ENGINE_BINARY names an executable. Any executable will do for generation.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
// Not imported from engine.mjs: that module loads the wasm schema engine, which generation does not need.
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= existsSync('/bin/true') ? '/bin/true' : process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = path.join(root, 'node_modules/prisma/build/index.js');
const res = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, stdio: 'inherit', env });
process.exit(res.status ?? 1);
