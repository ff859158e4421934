/**
 * Waits for something asynchronous to become true (a watch event, a file reload). Bounded by a
 * count of polls, and it fails with `what` so the test says what never happened. Not a timing
 * assertion: a fast machine passes on the first poll, a slow one just polls more.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  polls = 500,
): Promise<void> {
  for (let i = 0; i < polls; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}
