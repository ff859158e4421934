/**
 * Waits for something asynchronous to happen (a watch event, a file reload, a build finishing) and
 * returns what the probe found: `undefined` or `false` mean "not yet". Bounded by a count of polls,
 * and it fails with `what` so the test says what never happened. Not a timing assertion: a fast
 * machine passes on the first poll, a slow one just polls more.
 */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  polls = 500,
): Promise<T> {
  for (let i = 0; i < polls; i++) {
    const found = await probe();
    if (found !== undefined && found !== false) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}
