export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it became true. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 1000,
  stepMs = 25,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  do {
    if (await check()) return true;
    await sleep(stepMs);
  } while (Date.now() < end);
  return check();
}

/** Waits if the current one-minute rate-limit window is about to roll over, so a test stays inside one window. */
export async function awayFromMinuteEdge(marginMs = 8000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await sleep(left + 50);
}
