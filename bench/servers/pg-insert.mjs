// Baseline server: Fastify + one plain single-row INSERT per request through `pg` (same pool size as the gateway).
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
await pool.query(
  'CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
);
const app = Fastify({ logger: false });
app.post('/insert', async (req, reply) => {
  const { rows } = await pool.query('INSERT INTO bench_baseline (payload) VALUES ($1) RETURNING id', [
    req.body ?? {},
  ]);
  reply.code(201);
  return { id: rows[0].id };
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: app.server.address().port })}\n`);
