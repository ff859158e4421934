// Shared by the emulator's tests: clients for a running cluster and small fixture loaders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { Cluster } from './index';
import type { DemoUserName } from './rbac';
import type { KubeObject } from './types';

// Tests poke into arbitrary JSON responses; typing every shape would only restate the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export interface WatchEvent {
  type: string;
  object: Json;
}

export function kubeConfig(cluster: Cluster, user: DemoUserName = 'admin'): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.writeKubeconfig(user));
  return kc;
}

export function fixture<T = KubeObject>(name: string): T {
  return parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as T;
}

/** A raw API call with a demo user's token, for what typed clients cannot express. */
export async function call(
  cluster: Cluster,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    user?: DemoUserName | null;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  const user = init.user === undefined ? 'admin' : init.user;
  if (user) headers.authorization = `Bearer ${cluster.tokens[user]}`;
  const res = await fetch(`${cluster.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Logs are plain text.
  }
  return { status: res.status, body, headers: res.headers };
}

/** Reads watch events until `until` is satisfied; `stop` aborts the stream. Bounded by count. */
export function collectWatch(
  cluster: Cluster,
  path: string,
  until: (events: WatchEvent[]) => boolean,
  user: DemoUserName = 'admin',
): Promise<WatchEvent[]> {
  const controller = new AbortController();
  const events: WatchEvent[] = [];
  return (async () => {
    const res = await fetch(`${cluster.url}${path}`, {
      headers: { authorization: `Bearer ${cluster.tokens[user]}` },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let buf = '';
    try {
      for (let i = 0; i < 10_000; i++) {
        const { done, value } = await reader.read();
        if (done) break;
        buf += Buffer.from(value).toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
        }
        if (until(events)) break;
      }
    } finally {
      controller.abort();
    }
    return events;
  })().catch((e) => {
    if ((e as Error).name === 'AbortError') return events;
    throw e;
  });
}

/**
 * Creates ValidatingAdmissionPolicies and their bindings (as parsed from a manifest) as the admin,
 * in order; throws with the cluster's answer when one is refused.
 */
export async function createPolicies(cluster: Cluster, docs: readonly Json[]): Promise<void> {
  for (const doc of docs) {
    const plural =
      doc.kind === 'ValidatingAdmissionPolicy'
        ? 'validatingadmissionpolicies'
        : 'validatingadmissionpolicybindings';
    const res = await call(cluster, `/apis/admissionregistration.k8s.io/v1/${plural}`, {
      method: 'POST',
      body: doc,
    });
    if (res.status >= 300) {
      throw new Error(
        `${doc.kind} ${doc.metadata?.name}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
  }
}
