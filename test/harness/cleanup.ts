// Shutdown steps for tests and benchmarks that start real processes, brokers and proxies: run
// in reverse order of registration, each once, and a failing step does not stop the others.

/** Runs registered shutdown steps in reverse order; a failing step does not stop the others. */
export class Cleanup {
  private readonly steps: Array<{ what: string; run: () => unknown }> = [];

  /** Registers a step; the function returned runs it now (and only once), for orderly shutdowns. */
  add(what: string, run: () => unknown): () => Promise<void> {
    const step = { what, run };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await run();
    };
  }

  async run(): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) process.stderr.write(`cleanup problems:\n${failures.join('\n')}\n`);
  }
}
