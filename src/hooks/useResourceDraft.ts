// The editing state of one resource: the server version the edit started from, the draft, and its
// YAML text, kept in sync both ways. The state lives here; every rule it follows is in
// utils/draft.ts, which is tested without React.
import { useCallback, useMemo, useState } from 'react';
import { parse as parseYAML, stringify as toYAML } from 'yaml';
import { diffObjects, editableView, isObject, rebase, setIn } from '../utils/draft';
import type { Change, JsonObject, PathSegment } from '../utils/draft';

export interface ResourceDraft {
  /** The server's version the edit is based on; undefined when the resource does not exist. */
  base: JsonObject | undefined;
  draft: JsonObject;
  yaml: string;
  /** Why the YAML text is not applied to the draft (the form keeps the last valid draft). */
  yamlError: string | undefined;
  /** What saving would change, relative to `base` (or to nothing, for a create). */
  changes: Change[];
  dirty: boolean;
  /** The newer server version a save collided with, until the user reapplies or discards. */
  conflict: JsonObject | undefined;
  /** After a reapply: fields the server and the user both changed; the user's value was kept. */
  overlaps: Change[];
  setField(path: readonly PathSegment[], value: unknown): void;
  setYaml(text: string): void;
  /** A successful save: the saved object becomes the new base. */
  saved(object: JsonObject): void;
  collided(latest: JsonObject): void;
  reapply(): void;
  discard(): void;
}

function yamlOf(object: JsonObject): string {
  return toYAML(editableView(object));
}

interface State {
  base: JsonObject | undefined;
  draft: JsonObject;
  yaml: string;
  yamlError: string | undefined;
  conflict: JsonObject | undefined;
  overlaps: Change[];
  /** Whether the user has touched the draft since it was last reset to `base`. */
  touched: boolean;
  /**
   * The watched version last synced from. The draft follows the watch only when the watch moves
   * on, so a saved or discarded-to version newer than the watch is not undone by its lag.
   */
  serverSeen: string | undefined;
}

/** Identifies a watched version: its resourceVersion, else its content. */
function versionOf(object: unknown): string | undefined {
  if (!isObject(object)) return undefined;
  const rv = isObject(object.metadata) ? object.metadata.resourceVersion : undefined;
  return typeof rv === 'string' ? rv : JSON.stringify(object);
}

function fresh(base: JsonObject | undefined, template: JsonObject): State {
  const draft = base ?? template;
  return {
    base,
    draft,
    yaml: yamlOf(draft),
    yamlError: undefined,
    conflict: undefined,
    overlaps: [],
    touched: false,
    serverSeen: versionOf(base),
  };
}

/**
 * `server` is the watched object (undefined while absent); `template` starts a create. While the
 * user has not touched the draft it follows the server; after that, server changes wait for the
 * save (which then meets them as a 409 and offers to reapply).
 */
export function useResourceDraft(
  server: JsonObject | undefined,
  template: JsonObject,
): ResourceDraft {
  const [state, setState] = useState<State>(() => fresh(server, template));
  // Follow the server while untouched: adjust during render, as React recommends for derived state.
  const serverVersion = versionOf(server);
  if (!state.touched && !state.conflict && serverVersion !== state.serverSeen) {
    setState(fresh(server, template));
  }

  const setField = useCallback((path: readonly PathSegment[], value: unknown) => {
    setState((s) => {
      const draft = setIn(s.draft, path, value);
      return { ...s, draft, yaml: yamlOf(draft), yamlError: undefined, touched: true };
    });
  }, []);

  const setYaml = useCallback((text: string) => {
    setState((s) => {
      let parsed: unknown;
      try {
        parsed = parseYAML(text);
      } catch (e) {
        return {
          ...s,
          yaml: text,
          yamlError: e instanceof Error ? e.message : String(e),
          touched: true,
        };
      }
      if (!isObject(parsed)) {
        return { ...s, yaml: text, yamlError: 'The YAML must be a single object.', touched: true };
      }
      // Server-owned fields are not editable here: keep the base's, whatever the text says.
      const metadata = isObject(parsed.metadata) ? parsed.metadata : {};
      const baseMetadata = isObject(s.base?.metadata) ? s.base.metadata : {};
      const draft = { ...parsed, metadata: { ...metadata, ...pickServerMetadata(baseMetadata) } };
      return { ...s, yaml: text, yamlError: undefined, draft, touched: true };
    });
  }, []);

  const saved = useCallback(
    (object: JsonObject) =>
      setState((s) => ({ ...fresh(object, template), serverSeen: s.serverSeen })),
    [template],
  );
  const collided = useCallback(
    (latest: JsonObject) => setState((s) => ({ ...s, conflict: latest })),
    [],
  );
  const reapply = useCallback(() => {
    setState((s) => {
      if (!s.conflict) return s;
      const { merged, conflicts } = rebase(s.base, s.draft, s.conflict);
      return {
        ...s,
        base: s.conflict,
        draft: merged,
        yaml: yamlOf(merged),
        yamlError: undefined,
        conflict: undefined,
        overlaps: conflicts,
      };
    });
  }, []);
  const discard = useCallback(
    () =>
      setState((s) =>
        s.conflict
          ? { ...fresh(s.conflict, template), serverSeen: s.serverSeen }
          : fresh(server, template),
      ),
    [server, template],
  );

  const changes = useMemo(
    () => diffObjects(state.base ? editableView(state.base) : {}, editableView(state.draft)),
    [state.base, state.draft],
  );
  return {
    base: state.base,
    draft: state.draft,
    yaml: state.yaml,
    yamlError: state.yamlError,
    changes,
    dirty: state.base === undefined ? state.touched : changes.length > 0 || !!state.yamlError,
    conflict: state.conflict,
    overlaps: state.overlaps,
    setField,
    setYaml,
    saved,
    collided,
    reapply,
    discard,
  };
}

function pickServerMetadata(metadata: JsonObject): JsonObject {
  const keys = ['resourceVersion', 'uid', 'generation', 'creationTimestamp'];
  return Object.fromEntries(Object.entries(metadata).filter(([k]) => keys.includes(k)));
}
