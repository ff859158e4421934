import type { Config } from '../config';
import type { Logger } from '../log';
import type { ClusterSources } from '../service';

export async function connectCluster(_config: Config, _log: Logger): Promise<ClusterSources> {
  throw new Error('cluster mode not implemented yet');
}
