// `node dist/simulator/main.js` (npm run start:simulator): a stand-alone TruBit OTC look-alike on port 4010.
import { SimConfigError, loadSimulatorOptions } from './config';
import { createSimulator } from './simulator';

async function main(): Promise<void> {
  const options = loadSimulatorOptions();
  // Fastify's per-request logging would drown the one line that matters; keep it for warnings up.
  const sim = await createSimulator({
    ...options,
    logger: options.logger === 'info' ? 'warn' : options.logger,
  });
  const { url } = await sim.listen(options.port, options.host);
  process.stdout.write(
    `${JSON.stringify({ msg: 'trubit simulator listening', url, port: Number(new URL(url).port), auto: sim.config.auto, publicKey: sim.publicKeyBase64 })}\n`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof SimConfigError ? `config error: ${err.message}` : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
});
