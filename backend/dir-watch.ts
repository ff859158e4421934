// Watches the directories of some files and calls back once changes settle. Kubernetes updates a
// mounted Secret or ConfigMap by swapping a symlink in the directory (an atomic rename), which a
// watch on the file itself never sees, so the directories are watched and the files re-read.
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './log';

export class DirectoryWatch {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: {
      files: string[];
      /** Called once the directories have been quiet for debounceMs after a change. */
      onSettled: () => void;
      log: Logger;
      what: string;
      debounceMs?: number;
    },
  ) {}

  start(): void {
    for (const dir of new Set(this.o.files.map((f) => dirname(f)))) {
      const w = watch(dir, { persistent: false }, () => this.schedule());
      w.on('error', (err) =>
        this.o.log.warn({ err, dir }, `${this.o.what} directory watch failed`),
      );
      this.watchers.push(w);
    }
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.o.onSettled(), this.o.debounceMs ?? 200);
    this.timer.unref();
  }
}
