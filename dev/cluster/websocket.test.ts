// Watches over WebSocket, as the console opens them (token in a subprotocol, base64 frames).
import WebSocket from 'ws';
import { startCluster, type Cluster } from './index';
import { call, type WatchEvent } from './test-helpers';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ seed: false });
  await call(cluster, '/api/v1/namespaces', {
    method: 'POST',
    body: { metadata: { name: 'team-a' } },
  });
});
afterAll(() => cluster.stop());

/** Collects decoded events until `count` arrived; `onOpen` runs once the socket is open. */
function wsEvents(
  path: string,
  protocols: string[],
  count: number,
  onOpen: () => Promise<unknown>,
): Promise<WatchEvent[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${cluster.url.replace('http', 'ws')}${path}`, protocols);
    const events: WatchEvent[] = [];
    ws.on('open', () => void onOpen().catch(reject));
    ws.on('message', (data: Buffer) => {
      const text =
        ws.protocol === 'base64.binary.k8s.io'
          ? Buffer.from(data.toString(), 'base64').toString()
          : data.toString();
      events.push(JSON.parse(text));
      if (events.length >= count) {
        ws.close();
        resolve(events);
      }
    });
    ws.on('error', reject);
  });
}

const bearer = (token: string) =>
  `base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString('base64url')}`;

describe('WebSocket watch', () => {
  it('streams base64 frames to a client authenticated by subprotocol', async () => {
    const events = await wsEvents(
      '/api/v1/namespaces/team-a/pods?watch=true',
      ['base64.binary.k8s.io', bearer(cluster.tokens.developer)],
      1,
      () =>
        call(cluster, '/api/v1/namespaces/team-a/pods', {
          method: 'POST',
          body: { metadata: { name: 'ws-pod' }, spec: { containers: [{ name: 'c' }] } },
        }),
    );
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED ws-pod']);
  });

  it('streams plain JSON frames without the base64 protocol', async () => {
    const events = await wsEvents(
      '/api/v1/namespaces?watch=true&labelSelector=kubernetes.io%2Fmetadata.name%3Dteam-a',
      [bearer(cluster.tokens.admin)],
      1,
      async () => undefined,
    );
    expect(events[0]).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Namespace', metadata: { name: 'team-a' } },
    });
  });

  it('refuses the upgrade without permission', async () => {
    const err = await new Promise<Error>((resolve) => {
      const ws = new WebSocket(`${cluster.url.replace('http', 'ws')}/api/v1/pods?watch=true`, [
        bearer(cluster.tokens.developer),
      ]);
      ws.on('error', resolve);
      ws.on('open', () => resolve(new Error('opened')));
    });
    expect(err.message).toContain('403');
  });
});
