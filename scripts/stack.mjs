#!/usr/bin/env node
// `npm run stack`: migrations, then simulator (4010) + API (PORT, default 3000) + worker in the foreground.
import { startStack } from './lib/stack.mjs';

const stack = await startStack();
console.log(
  `\n• API ${stack.apiUrl} (docs ${stack.apiUrl}/docs) · simulator ${stack.simUrl} · Ctrl-C stops everything\n`,
);
const shutdown = async () => {
  await stack.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
const dead = await stack.exited;
console.error(`${dead.label} exited (code ${dead.code}, signal ${dead.signal}); stopping the stack`);
await stack.stop();
process.exit(1);
