// Baseline server: plain Fastify, no framework, no auth, no I/O. GET / (hello world) and POST /echo.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.post('/echo', async (req) => ({ ok: true, size: JSON.stringify(req.body ?? {}).length }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: app.server.address().port })}\n`);
