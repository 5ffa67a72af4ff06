// Prisma 7 reads the connection URL from here, not from schema.prisma. No process.env elsewhere: this file is
// tooling configuration (the app reads DATABASE_URL through src/config).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' },
});
