import { createWorkerApp, loadConfigOrExit } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await createWorkerApp(config);
}

void main();
