import pg from 'pg';

/** Direct SQL for assertions about what is (not) stored, bypassing the app. */
export async function withDb<T>(fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({
    connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
  });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
