// Demo users of the local cluster. The choice lives in a cookie because the shell's server, not
// the browser, holds the tokens and adds the right one to each proxied request.
export const DEMO_USERS = ['admin', 'developer', 'auditor'] as const;
export type DemoUser = (typeof DEMO_USERS)[number];
export const USER_COOKIE = 'dev-console-user';

export const isDemoUser = (u: unknown): u is DemoUser =>
  typeof u === 'string' && (DEMO_USERS as readonly string[]).includes(u);

/** One cookie's value from a Cookie header or document.cookie. */
export const cookieValue = (cookieHeader: string | undefined, name: string): string | undefined =>
  (cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

/** Reads the user from a Cookie header or document.cookie; admin when unset or unknown. */
export const userFromCookie = (cookieHeader: string | undefined): DemoUser => {
  const value = cookieValue(cookieHeader, USER_COOKIE);
  return isDemoUser(value) ? value : 'admin';
};
