// A client-side cap on the recorder's API requests: at most `perSecond` in any one-second window,
// however large the backlog. A token bucket would let a full bucket plus a second's refill through
// in the first second; a window over the last `perSecond` start times cannot.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  /** Start times of the last `perSecond` requests, oldest at `head`. */
  private readonly starts: number[] = [];
  private head = 0;
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) {
      throw new Error(`rate limit must be a positive whole number, not ${perSecond}`);
    }
  }

  /** Callers waiting for a slot, for the backlog metric. */
  get pending(): number {
    return this.waiting;
  }

  /** Resolves, with the slot's time, when one more request may start; callers go in order. */
  acquire(): Promise<number> {
    this.waiting++;
    const turn = this.queue.then(() => this.take());
    this.queue = turn.then(
      () => {},
      () => {},
    );
    return turn.finally(() => this.waiting--);
  }

  private async take(): Promise<number> {
    if (this.starts.length < this.perSecond) {
      const now = this.clock.now();
      this.starts.push(now);
      return now;
    }
    const wait = (this.starts[this.head] ?? 0) + 1000 - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    const now = this.clock.now();
    this.starts[this.head] = now;
    this.head = (this.head + 1) % this.perSecond;
    return now;
  }
}
