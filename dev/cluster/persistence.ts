// The state file: the whole store plus pod logs as JSON, written atomically (temp file + rename)
// and debounced, so a crash never leaves half a file and a busy cluster does not write constantly.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Snapshot, Store } from './store';
import type { LogStore } from './buildlog';

interface StateFile {
  version: 1;
  store: Snapshot;
  logs: Record<string, Record<string, string[]>>;
}

export function loadState(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  let problem: string;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateFile>;
    if (state.version === 1 && state.store) return state as StateFile;
    problem = `unknown format (version ${JSON.stringify(state.version)})`;
  } catch (e) {
    problem = (e as Error).message;
  }
  // Starting fresh would overwrite the file on the first write: keep it aside, never lose it.
  const kept = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, kept);
  console.warn(`[cluster] state file ${path} is unreadable (${problem}); kept it as ${kept}`);
  return undefined;
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastWriteMs = 0;

  constructor(
    private readonly path: string,
    private readonly store: Store,
    private readonly logs: LogStore,
    private readonly debounceMs = 1000,
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(() => this.schedule());
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.flush();
        // A big state (the 100,000-build benchmark) takes seconds to write: write it rarely enough
        // that the API stays responsive.
      },
      Math.max(this.debounceMs, this.lastWriteMs * 10),
    );
  }

  flush(): void {
    const started = Date.now();
    const state: StateFile = { version: 1, store: this.store.snapshot(), logs: this.logs.toJSON() };
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
    this.lastWriteMs = Date.now() - started;
  }

  /** Writes anything pending and stops listening. */
  stop(): void {
    this.unsubscribe?.();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.flush();
    }
  }
}
