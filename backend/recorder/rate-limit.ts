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

  /**
   * Starts `task` as soon as a slot is free, in the order callers asked, and answers what it
   * answers. The slot is stamped in the same synchronous step that starts the task, so a busy
   * event loop between the two cannot squeeze an extra request into a window.
   */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const turn = this.queue.then(() => this.take(task));
    this.queue = turn.then(
      () => {},
      () => {},
    );
    return turn.then((started) => {
      this.waiting--;
      return started.result;
    });
  }

  private async take<T>(task: () => Promise<T>): Promise<{ result: Promise<T> }> {
    if (this.starts.length >= this.perSecond) {
      // A timer may fire a millisecond early by the wall clock: look again until the slot is free.
      // One millisecond more than the window, as the clock counts whole milliseconds.
      for (;;) {
        const wait = (this.starts[this.head] ?? 0) + 1001 - this.clock.now();
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
    }
    const now = this.clock.now();
    if (this.starts.length < this.perSecond) this.starts.push(now);
    else {
      this.starts[this.head] = now;
      this.head = (this.head + 1) % this.perSecond;
    }
    // Not awaited: the next caller's turn does not wait for this request to finish.
    const result = task();
    result.catch(() => {});
    return { result };
  }
}
