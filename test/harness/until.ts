// Polling helpers for tests that wait on real processes and sockets.
export async function until(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>, pollMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Polls until `poll` returns a value (not undefined), and resolves with it. */
export async function waitForValue<T>(what: string, timeoutMs: number, poll: () => T | undefined, pollMs = 25): Promise<T> {
  let value: T | undefined;
  await until(what, timeoutMs, () => (value = poll()) !== undefined, pollMs);
  return value as T;
}
