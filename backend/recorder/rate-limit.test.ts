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
      Array.from({ length: 5000 }, () => limiter.run(async () => starts.push(clock.now()))),
    );
    expect(starts).toHaveLength(5000);
    const crowded = starts.filter((t, i) => i + 50 < starts.length && starts[i + 50]! - t < 1000);
    expect(crowded).toEqual([]);
    // ...and it does not dawdle either: 5,000 at 50/s is 99 windows (of 1,001 ms) after the first.
    expect(starts[starts.length - 1]).toBe(99 * 1001);
    expect(limiter.pending).toBe(0);
  });

  it('does not wait while under the limit', async () => {
    const clock = virtualClock();
    const limiter = new RateLimiter(3, clock);
    for (let i = 0; i < 3; i++) await limiter.run(async () => {});
    expect(clock.now()).toBe(0);
    expect(await limiter.run(async () => clock.now())).toBe(1001);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.pending).toBe(0);
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new RateLimiter(0)).toThrow(/positive whole number/);
    expect(() => new RateLimiter(1.5)).toThrow(/positive whole number/);
  });
});
