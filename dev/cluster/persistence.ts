// The state file: a snapshot of the whole store plus pod logs, and beside it a journal of every
// change since. A change costs one appended line, written off the request path; the snapshot is
// rewritten only at start, at stop and (in the background, a chunk at a time) when the journal
// has grown large. A crash at any point loses at most the last few unwritten lines, never a file:
// snapshots are written to a temp file and renamed, and a journal segment is deleted only once
// a snapshot covering it is in place. An unreadable file is kept aside, never overwritten.
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { LogStore } from './buildlog';
import type { Snapshot, Store, StoreEvent } from './store';
import type { KubeObject } from './types';

type Logs = Record<string, Record<string, string[]>>;

interface StateFile {
  version: 1;
  store: Snapshot;
  logs: Logs;
}

type JournalLine =
  { rv: number; type: StoreEvent['type']; key: string; object: KubeObject } | { logs: Logs };

/** Journal segments of a state file, oldest first: `<file>.journal-<snapshot version>`. */
function segments(path: string): string[] {
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const prefix = `${basename(path)}.journal-`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((f) => join(dir, f));
}

function keepAside(path: string, problem: string): void {
  const kept = `${path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, kept);
  console.warn(`[cluster] state file ${path} is unreadable (${problem}); kept it as ${kept}`);
}

/** Replays journal lines onto a snapshot; false when a line (other than a torn last one) is bad. */
function replay(state: StateFile, text: string): boolean {
  const tables = new Map<string, Map<string, KubeObject>>();
  const table = (key: string) => {
    let t = tables.get(key);
    if (!t) {
      t = new Map(
        (state.store.objects[key] ?? []).map((o) => [
          `${o.metadata.namespace ?? ''}/${o.metadata.name}`,
          o,
        ]),
      );
      tables.set(key, t);
    }
    return t;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (!raw) continue;
    let line: JournalLine;
    try {
      line = JSON.parse(raw) as JournalLine;
    } catch {
      if (i >= lines.length - 2) break; // a crash mid-write leaves a torn last line
      return false;
    }
    if ('logs' in line) {
      state.logs = line.logs;
      continue;
    }
    if (line.rv <= state.store.resourceVersion) continue; // already in the snapshot
    const k = `${line.object.metadata.namespace ?? ''}/${line.object.metadata.name}`;
    if (line.type === 'DELETED') table(line.key).delete(k);
    else table(line.key).set(k, line.object);
    state.store.resourceVersion = line.rv;
  }
  for (const [key, t] of tables) state.store.objects[key] = [...t.values()];
  return true;
}

export function loadState(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  let problem: string;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateFile>;
    if (state.version === 1 && state.store) {
      const full = state as StateFile;
      for (const segment of segments(path)) {
        if (!replay(full, readFileSync(segment, 'utf8'))) {
          keepAside(segment, 'a journal line is not JSON');
          break;
        }
      }
      return full;
    }
    problem = `unknown format (version ${JSON.stringify(state.version)})`;
  } catch (e) {
    problem = (e as Error).message;
  }
  // Starting fresh would overwrite the file on the first write: keep it aside, never lose it.
  keepAside(path, problem);
  for (const segment of segments(path)) keepAside(segment, 'its snapshot is unreadable');
  return undefined;
}

export interface PersistenceOptions {
  /** Rewrite the snapshot (in the background) once the journal is this big. */
  compactBytes?: number;
  /** Pod logs are journalled at most this often. */
  logsDebounceMs?: number;
}

export class Persistence {
  private unsubscribe: (() => void) | undefined;
  private journal: WriteStream | undefined;
  private journalBytes = 0;
  private snapshotting: Promise<void> | undefined;
  private logsTimer: NodeJS.Timeout | undefined;
  private lastLogs = '';
  private stopped = false;
  private readonly compactBytes: number;
  private readonly logsDebounceMs: number;

  constructor(
    private readonly path: string,
    private readonly store: Store,
    private readonly logs: LogStore,
    opts: PersistenceOptions = {},
  ) {
    this.compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
    this.logsDebounceMs = opts.logsDebounceMs ?? 1000;
  }

  start(): void {
    this.unsubscribe = this.store.subscribe((e) => this.append(e));
  }

  /** True while a background snapshot is being written (the bench waits for quiet). */
  busy(): boolean {
    return this.snapshotting !== undefined;
  }

  private write(line: JournalLine): void {
    if (this.stopped) return;
    if (!this.journal) {
      mkdirSync(dirname(this.path), { recursive: true });
      const segment = `${this.path}.journal-${this.store.resourceVersion}`;
      // Opened now, not later: a stop that deletes segments must never see this one reappear.
      this.journal = createWriteStream(segment, { fd: openSync(segment, 'a') });
      this.journal.on('error', (err) =>
        console.warn(`[cluster] journal ${segment}: ${err.message}`),
      );
      this.journalBytes = 0;
    }
    const text = `${JSON.stringify(line)}\n`;
    this.journal.write(text);
    this.journalBytes += text.length;
  }

  private append(e: StoreEvent): void {
    this.write({ rv: e.rv, type: e.type, key: e.key, object: e.object });
    this.logsTimer ??= setTimeout(() => {
      this.logsTimer = undefined;
      const logs = JSON.stringify(this.logs.toJSON());
      if (logs !== this.lastLogs) {
        this.lastLogs = logs;
        this.write({ logs: this.logs.toJSON() });
      }
    }, this.logsDebounceMs);
    if (this.journalBytes > this.compactBytes && !this.snapshotting) {
      this.snapshotting = this.snapshotInBackground().finally(
        () => (this.snapshotting = undefined),
      );
    }
  }

  /** Closes the current journal segment; the next change opens one named after the version. */
  private rotate(): void {
    this.journal?.end();
    this.journal = undefined;
  }

  private removeSegments(upTo: number): void {
    const prefix = `${basename(this.path)}.journal-`;
    for (const segment of segments(this.path)) {
      if (Number(basename(segment).slice(prefix.length)) <= upTo) rmSync(segment, { force: true });
    }
  }

  /** The whole state now, synchronously: at start and at stop, when nobody is waiting on us. */
  flush(): void {
    const state: StateFile = { version: 1, store: this.store.snapshot(), logs: this.logs.toJSON() };
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
    this.lastLogs = JSON.stringify(state.logs);
    this.rotate();
    this.removeSegments(Number.MAX_SAFE_INTEGER);
  }

  /**
   * The same, a few hundred objects per turn of the event loop so requests go on being served.
   * The store's objects are replaced on change, never mutated, so the copied lists stay a
   * consistent picture at `rv` while the store moves on.
   */
  private async snapshotInBackground(): Promise<void> {
    const snap = this.store.snapshot();
    const logs = this.logs.toJSON();
    this.rotate(); // changes from here on go to a segment the new snapshot does not cover
    const tmp = `${this.path}.${process.pid}.bg.tmp`;
    const out = createWriteStream(tmp);
    const put = async (text: string) => {
      if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
    };
    try {
      await put(`{"version":1,"store":{"resourceVersion":${snap.resourceVersion},"objects":{`);
      let firstKey = true;
      for (const [key, objects] of Object.entries(snap.objects)) {
        await put(`${firstKey ? '' : ','}${JSON.stringify(key)}:[`);
        firstKey = false;
        for (let i = 0; i < objects.length; i += 250) {
          if (this.stopped) throw new Error('stopped');
          const chunk = objects.slice(i, i + 250).map((o) => JSON.stringify(o));
          await put(`${i ? ',' : ''}${chunk.join(',')}`);
          await yieldToRequests();
        }
        await put(']');
      }
      await put(`}},"logs":${JSON.stringify(logs)}}`);
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      if (this.stopped) throw new Error('stopped');
      renameSync(tmp, this.path);
      this.removeSegments(snap.resourceVersion);
    } catch (err) {
      out.destroy();
      rmSync(tmp, { force: true });
      if (!this.stopped)
        console.warn(`[cluster] background snapshot failed: ${(err as Error).message}`);
    }
  }

  /** Writes everything and stops listening. */
  stop(): void {
    this.unsubscribe?.();
    if (this.logsTimer) clearTimeout(this.logsTimer);
    this.logsTimer = undefined;
    this.stopped = true;
    this.flush();
  }
}
