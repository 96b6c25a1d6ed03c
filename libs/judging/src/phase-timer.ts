/** Milliseconds spent in each phase of a bulk job, reported in its result (where a national round's time goes). */
export class PhaseTimer {
  readonly phases: Record<string, number> = {};
  private readonly started = performance.now();
  private mark = this.started;

  /** Ends the current phase under `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.phases[name] = Math.round(now - this.mark);
    this.mark = now;
  }

  /** Times `work` and adds it to `name` (a phase spread over many batches). */
  async add<T>(name: string, work: () => Promise<T>): Promise<T> {
    const from = performance.now();
    try {
      return await work();
    } finally {
      this.phases[name] = (this.phases[name] ?? 0) + Math.round(performance.now() - from);
    }
  }

  get totalMs(): number {
    return Math.round(performance.now() - this.started);
  }
}
