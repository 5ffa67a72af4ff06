#!/usr/bin/env node
// `npm run demo`: starts the stack on the simulator (automatic progression), creates a partner through the
// admin API and plays that partner with the SDK: user → KYC → rate → quote → order → funding → COMPLETED,
// printing each step and each webhook received with whether its signature verified. Exits 0 only if the
// order completed and every webhook verified.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startStack, root } from './lib/stack.mjs';

const say = (msg) => console.log(msg);
const step = (n, msg) => console.log(`\n${n}. ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const DEADLINE = Date.now() + Number(process.env.DEMO_TIMEOUT_MS ?? 180_000);

async function until(what, fn, everyMs = 500) {
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > DEADLINE) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// A fresh database per run: the simulator starts empty, so old orders would only confuse reconciliation.
const databaseUrl = process.env.DEMO_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/gateway_demo';
{
  const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}

// The partner's webhook endpoint: keeps each raw body and its headers for verification.
const received = [];
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
    res.writeHead(200).end('ok');
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const webhookUrl = `http://127.0.0.1:${receiver.address().port}/webhooks/mp2p`;

const adminToken = process.env.ADMIN_TOKEN ?? 'dev-admin-token-change-me';
step(0, 'Starting the stack: TruBit simulator + API + worker');
const stack = await startStack({
  quiet: !process.env.DEMO_VERBOSE,
  log: (m) => say(`   ${m}`),
  env: {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `demo:${Date.now().toString(36)}:`,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    WEBHOOK_ALLOW_INSECURE: 'true',
    RECONCILE_INTERVAL_MS: '2000',
    SIM_AUTO: '1',
    SIM_APPROVE_DELAY_MS: '800',
    SIM_LOCK_DELAY_MS: '300',
    SIM_PAY_DELAY_MS: '800',
    SIM_RELEASE_DELAY_MS: '800',
    SIM_MERCHANT_APPROVE_DELAY_MS: '1500',
  },
});
say(`   API ${stack.apiUrl} · simulator ${stack.simUrl}`);

let ok = false;
try {
  // The SDK is CommonJS (built by SWC); its exports live on the module's default export under ESM.
  const sdkModule = await import(`${root}/dist/sdk/src/index.js`);
  const { PartnerClient, verifyWebhook } = sdkModule.default ?? sdkModule;
  const sim = async (method, path, body) => {
    const res = await fetch(`${stack.simUrl}/__sim${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  step(1, 'Operator onboards a partner (admin API) with its own, empty TruBit account');
  const trubit = {
    apiKey: `demo-${randomBytes(4).toString('hex')}`,
    apiSecret: randomBytes(24).toString('hex'),
  };
  await sim('POST', '/accounts', {
    ...trubit,
    balances: { USDT: '0' },
    callbackUrl: `${stack.apiUrl}/callbacks/trubit`,
  });
  const created = await fetch(`${stack.apiUrl}/admin/v1/partners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Demo Wallet',
      tier: 'GROWTH',
      kycModel: 'GATEWAY_MANAGED',
      webhookUrl,
      trubit,
    }),
  }).then((r) => r.json());
  if (!created.apiKey) throw new Error(`partner creation failed: ${JSON.stringify(created)}`);
  say(
    `   partner ${created.partner.id} (${created.partner.tier}), key ${created.apiKey.slice(0, 9)}…, webhook secret ${created.webhookSecret.slice(0, 10)}…`,
  );
  const client = new PartnerClient({ apiKey: created.apiKey, baseUrl: `${stack.apiUrl}/api/v1` });

  const health = await client.health();
  say(`   GET /health → ${health.status} as "${health.partner}"`);

  step(2, 'Register a user');
  const ref = `user-${Date.now().toString(36)}`;
  const user = await client.createUser({ partnerUserRef: ref });
  say(`   ${user.partnerUserRef}: kycStatus ${user.kycStatus}, id ${user.id}`);

  step(3, "KYC: the gateway creates the user's TruBit merchant; TruBit approves it");
  const kyc = await client.startKyc(ref, {
    level: 'BASIC',
    type: 'PERSONAL',
    name: 'María',
    fatherSurname: 'González',
    motherSurname: 'López',
    birthday: '1990-04-12',
    curp: 'GOLM900412MDFNPR03',
    email: `${ref}@example.com`,
    phone: '+525512345678',
    address: 'Av. Reforma 222',
    city: 'Ciudad de México',
    state: 'CMX',
    zipCode: '06600',
  });
  say(`   session ${kyc.sessionId}: ${kyc.kycStatus}`);
  const approved = await until('KYC approval', async () => {
    const u = await client.getUser(ref);
    return u.kycStatus === 'APPROVED' ? u : null;
  });
  say(`   kycStatus ${approved.kycStatus}, tier ${approved.kycTier}`);

  step(4, 'Exchange rate and a quote (1.5% partner fee)');
  const rate = await client.getExchangeRate('USDT');
  say(`   1 USDT = ${rate.usdMxn} MXN (source ${rate.source})`);
  const quote = await client.createQuote({
    type: 'SELL',
    amount: 100,
    token: 'USDT',
    partnerUserRef: ref,
    feePercent: 1.5,
    feeRecipient: 'PARTNER',
  });
  say(
    `   quote ${quote.id}: ${quote.amount} USDT → gross ${quote.grossAmountMxn} MXN, fee ${quote.feeAmountMxn}, net ${quote.netAmountMxn} (expires ${quote.expiresAt})`,
  );

  step(5, 'Order to a CLABE (Idempotency-Key generated by the SDK)');
  const order = await client.createOrder({
    quoteId: quote.id,
    partnerUserRef: ref,
    sellerClabe: '002010077777777771',
  });
  say(
    `   order ${order.id}: ${order.status}, ${order.netAmountMxn} MXN to ${order.sellerClabe} (${order.bankName})`,
  );

  step(6, 'Funding: the partner deposits USDT to its TruBit account');
  const address = await client.getDepositAddress('USDT', 'TRC20');
  say(`   deposit address ${address.address} (${address.tokenType ?? 'TRC20'})`);
  await sim('POST', `/accounts/${trubit.apiKey}/deposit`, { asset: 'USDT', amount: '150' });
  say('   150 USDT arrived at TruBit');

  step(7, 'Watching the order until it completes');
  let last = order.status;
  say(`   ${last}`);
  const done = await until('order completion', async () => {
    const o = await client.getOrder(order.id);
    if (o.status !== last) {
      last = o.status;
      say(
        `   → ${o.status}${o.trubitOrderId ? `  (TruBit order ${o.trubitOrderId})` : ''}${o.cepTrackingKey ? `  CEP ${o.cepTrackingKey}` : ''}`,
      );
    }
    return ['COMPLETED', 'FAILED', 'CANCELLED', 'REJECTED', 'EXPIRED', 'REFUNDED'].includes(o.status)
      ? o
      : null;
  });
  say(`   timeline: ${done.timeline.map((t) => t.event).join(' → ')}`);

  step(8, 'Webhooks received by the partner');
  const expected = [
    'user.kyc_approved',
    'order.created',
    'order.active',
    'order.locked',
    'order.payment_verified',
    'order.completed',
  ];
  await until(
    'all webhooks',
    async () => expected.every((e) => received.some((r) => JSON.parse(r.raw).event === e)),
    300,
  ).catch(() => null);
  let allVerified = received.length > 0;
  for (const r of received) {
    let verified = true;
    let event;
    try {
      event = verifyWebhook(r.raw, r.headers, created.webhookSecret);
    } catch (err) {
      verified = false;
      event = JSON.parse(r.raw);
      event.error = err.message;
    }
    allVerified &&= verified;
    say(
      `   ${verified ? '✓ verified' : '✗ NOT verified'}  ${event.event.padEnd(24)} ${event.data.sequence !== undefined ? `seq ${event.data.sequence}` : ''} ${event.data.status ?? event.data.kycStatus ?? ''}`,
    );
  }
  const missing = expected.filter((e) => !received.some((r) => JSON.parse(r.raw).event === e));
  if (missing.length) say(`   missing: ${missing.join(', ')}`);
  ok = done.status === 'COMPLETED' && allVerified && missing.length === 0;
  console.log(`\n${ok ? '✔ Trade completed and every webhook verified.' : '✘ Demo failed.'}`);
} catch (err) {
  console.error(`\n✘ Demo failed: ${err.stack ?? err}`);
} finally {
  await stack.stop();
  receiver.close();
}
process.exit(ok ? 0 : 1);
