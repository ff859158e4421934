import { RateLimiter, type Clock } from './rate-limit';

/** Virtual time: sleeping moves the clock instead of waiting. */
function virtualClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

describe('RateLimiter', () => {
  it('lets no more than N requests start in any one-second window of a 5,000 burst', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(50, clock);
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5000 }, () => limiter.acquire().then((at) => starts.push(at))),
    );
    expect(starts).toHaveLength(5000);
    starts.sort((a, b) => a - b);
    const crowded = starts.filter((t, i) => i + 50 < starts.length && starts[i + 50]! - t < 1000);
    expect(crowded).toEqual([]);
    // ...and it does not dawdle either: 5,000 at 50/s is 99 windows after the first.
    expect(starts[starts.length - 1]).toBe(99_000);
    expect(limiter.pending).toBe(0);
  });

  it('does not wait while under the limit', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(3, clock);
    for (let i = 0; i < 3; i++) await limiter.acquire();
    expect(clock.now()).toBe(0);
    await limiter.acquire();
    expect(clock.now()).toBe(1000);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new RateLimiter(0)).toThrow(/positive whole number/);
    expect(() => new RateLimiter(1.5)).toThrow(/positive whole number/);
  });
});
