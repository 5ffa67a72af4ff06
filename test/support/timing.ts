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

/**
 * Waits until `count()` has not changed for `quietMs` (or `timeoutMs` passed) and returns its last value: for
 * work that can still land after its source stopped, e.g. requests a killed process sent that sit unread in
 * this process's socket buffers.
 */
export async function quiescent(count: () => number, quietMs = 500, timeoutMs = 10_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  let last = count();
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(Math.min(50, quietMs));
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) break;
  }
  return last;
}

/** Waits if the current one-minute rate-limit window is about to roll over, so a test stays inside one window. */
export async function awayFromMinuteEdge(marginMs = 8000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await sleep(left + 50);
}
