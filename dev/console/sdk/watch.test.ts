// The single-object watch against the console's watchK8sObject + k8s reducer: after DELETED the
// final object stays as data and a later GET's 404 becomes the loadError; the object is fetched
// again every 30 s, which is how a failed load recovers.
jest.mock('./k8s', () => ({
  k8sGet: jest.fn(),
  k8sList: jest.fn(),
  resourceURL: () => '/api/kubernetes/apis/build.openshift.io/v1/namespaces/demo/builds',
  selectorToString: () => '',
}));

import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { k8sGet, k8sList } from './k8s';
import { Watch } from './watch';

const get = k8sGet as jest.MockedFunction<typeof k8sGet>;

class FakeSocket {
  static last?: FakeSocket;
  onmessage?: (msg: { data: string }) => void;
  onclose?: () => void;
  constructor(public url: string) {
    FakeSocket.last = this;
  }
  close() {}
  send(type: string, object: K8sResourceCommon) {
    this.onmessage?.({ data: JSON.stringify({ type, object }) });
  }
}

const model = {
  kind: 'Build',
  apiGroup: 'build.openshift.io',
  apiVersion: 'v1',
  plural: 'builds',
  namespaced: true,
  label: 'Build',
  labelPlural: 'Builds',
  abbr: 'B',
} as K8sModel;

const build = (rv: string, extra: Record<string, unknown> = {}): K8sResourceCommon => ({
  apiVersion: 'build.openshift.io/v1',
  kind: 'Build',
  metadata: { name: 'b-1', namespace: 'demo', resourceVersion: rv, ...extra },
});

const notFound = Object.assign(new Error('builds.build.openshift.io "b-1" not found'), {
  code: 404,
});

const settle = () => new Promise((r) => setTimeout(r, 0));

let watch: Watch | undefined;

beforeAll(() => {
  const g = globalThis as Record<string, unknown>;
  g.window = { location: { protocol: 'http:', host: 'localhost' } };
  g.WebSocket = FakeSocket;
});
afterEach(() => {
  watch?.stop();
  get.mockReset();
});
afterAll(() => {
  const g = globalThis as Record<string, unknown>;
  delete g.window;
  delete g.WebSocket;
});

const watchBuild = async (): Promise<{ w: Watch; ws: FakeSocket }> => {
  get.mockResolvedValueOnce(build('1'));
  watch = new Watch(model, { ns: 'demo', name: 'b-1' }, false);
  await settle();
  expect(watch.snapshot).toEqual({ data: build('1'), loaded: true, loadError: '' });
  return { w: watch, ws: FakeSocket.last! };
};

test('DELETED keeps the final object, then a 404 from the re-fetch becomes the loadError', async () => {
  const { w, ws } = await watchBuild();
  get.mockRejectedValueOnce(notFound);
  const final = build('3', { deletionTimestamp: '2025-01-01T00:00:00Z' });
  ws.send('DELETED', final);
  expect(w.snapshot).toEqual({ data: final, loaded: true, loadError: '' });
  expect(get).toHaveBeenLastCalledWith(model, 'b-1', 'demo');
  await settle();
  expect(w.snapshot).toEqual({ data: final, loaded: true, loadError: notFound });
});

test('an object recreated before the re-fetch answers is not overwritten by a stale 404', async () => {
  const { w, ws } = await watchBuild();
  let answer!: (e: unknown) => void;
  get.mockReturnValueOnce(new Promise((_, reject) => (answer = reject)));
  ws.send('DELETED', build('3'));
  ws.send('ADDED', build('4'));
  answer(notFound);
  await settle();
  expect(w.snapshot).toEqual({ data: build('4'), loaded: true, loadError: '' });
});

describe('the 30-second re-fetch of a watched object', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Runs the poller once and lets its GET answer. */
  const tick = async () => {
    await jest.advanceTimersByTimeAsync(Watch.pollMs);
  };

  it('recovers from a failed first load: the next poll loads it and opens the watch', async () => {
    const forbidden = Object.assign(new Error('forbidden'), { code: 403 });
    get.mockRejectedValueOnce(forbidden);
    FakeSocket.last = undefined;
    watch = new Watch(model, { ns: 'demo', name: 'b-1' }, false);
    await jest.advanceTimersByTimeAsync(0);
    expect(watch.snapshot).toEqual({ data: {}, loaded: false, loadError: forbidden });
    // Nothing is retried before the console would retry it.
    await jest.advanceTimersByTimeAsync(Watch.pollMs - 1);
    expect(get).toHaveBeenCalledTimes(1);
    expect(FakeSocket.last).toBeUndefined();
    get.mockResolvedValueOnce(build('2'));
    await jest.advanceTimersByTimeAsync(1);
    expect(get).toHaveBeenCalledTimes(2);
    expect(watch.snapshot).toEqual({ data: build('2'), loaded: true, loadError: '' });
    // The watch opens only now (resourceURL is stubbed, so the URL says nothing more).
    expect(FakeSocket.last).toBeDefined();
  });

  it('keeps polling a live object: a change is published, an unchanged answer is not', async () => {
    get.mockResolvedValueOnce(build('1'));
    watch = new Watch(model, { ns: 'demo', name: 'b-1' }, false);
    await jest.advanceTimersByTimeAsync(0);
    const first = watch.snapshot;
    get.mockResolvedValueOnce(build('1'));
    await tick();
    expect(watch.snapshot).toBe(first);
    get.mockResolvedValueOnce(build('5'));
    await tick();
    expect(watch.snapshot).toEqual({ data: build('5'), loaded: true, loadError: '' });
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('turns a later failure into loadError while keeping the data, and clears it when it passes', async () => {
    get.mockResolvedValueOnce(build('1'));
    watch = new Watch(model, { ns: 'demo', name: 'b-1' }, false);
    await jest.advanceTimersByTimeAsync(0);
    get.mockRejectedValueOnce(notFound);
    await tick();
    expect(watch.snapshot).toEqual({ data: build('1'), loaded: true, loadError: notFound });
    get.mockResolvedValueOnce(build('1'));
    await tick();
    expect(watch.snapshot).toEqual({ data: build('1'), loaded: true, loadError: '' });
  });

  it('stops polling when the last user goes', async () => {
    get.mockResolvedValueOnce(build('1'));
    watch = new Watch(model, { ns: 'demo', name: 'b-1' }, false);
    await jest.advanceTimersByTimeAsync(0);
    watch.stop();
    await tick();
    await tick();
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('does not poll lists (the console does not either)', async () => {
    jest.mocked(k8sList).mockResolvedValue({ items: [], metadata: { resourceVersion: '1' } });
    watch = new Watch({ ...model }, { ns: 'demo' }, true);
    await tick();
    await tick();
    expect(get).not.toHaveBeenCalled();
  });
});
