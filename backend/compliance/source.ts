// The Build cache behind the API: one list (paged) and a watch of all Builds, each kept as a
// small row in the index. Full objects, not PartialObjectMetadata: phase and strategy live in
// status and spec; each object is reduced to a row as it arrives and then dropped.
import { ACCEPT_JSON, type KubeClient } from '../kube/client';
import { Reflector } from '../kube/reflector';
import type { Logger } from '../log';
import { BuildIndex } from './build-index';
import { rowFromBuild, type BuildLike, type BuildRow } from './rows';

export const BUILDS_PATH = '/apis/build.openshift.io/v1/builds';

export class BuildCache {
  readonly index = new BuildIndex();
  private readonly reflector: Reflector<BuildLike, BuildRow | undefined>;

  constructor(client: KubeClient, log: Logger, pageSize = 500) {
    this.reflector = new Reflector<BuildLike, BuildRow | undefined>({
      client,
      path: BUILDS_PATH,
      accept: { list: ACCEPT_JSON, watch: ACCEPT_JSON },
      log: log.child({ cache: 'compliance-builds' }),
      transform: rowFromBuild,
      sink: this.index,
      pageSize,
    });
  }

  start(): Promise<void> {
    return this.reflector.start();
  }

  stop(): void {
    this.reflector.stop();
  }

  synced(): boolean {
    return this.reflector.synced();
  }
}
