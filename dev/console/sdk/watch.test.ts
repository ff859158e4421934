// The single-object watch after a DELETED event, against the console's watchK8sObject + k8s
// reducer: the final object stays as data, and a later GET's 404 becomes the loadError.
jest.mock('./k8s', () => ({
  k8sGet: jest.fn(),
  k8sList: jest.fn(),
  resourceURL: () => '/api/kubernetes/apis/build.openshift.io/v1/namespaces/demo/builds',
  selectorToString: () => '',
}));

import type { K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { k8sGet } from './k8s';
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
