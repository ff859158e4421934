// Checks that a JSON Patch applies to a document without copying the whole document: only the
// objects on each operation's path are copied (copy-on-write), so checking a patch on a 15 KB pod
// costs microseconds instead of a deep clone per review.
import { applyOperation, type Operation } from 'fast-json-patch';

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function shallow(v: object): object {
  return Array.isArray(v) ? [...v] : { ...v };
}

/** undefined when every operation applies in order; otherwise what went wrong. */
export function patchProblem(doc: unknown, ops: readonly Operation[]): string | undefined {
  if (typeof doc !== 'object' || doc === null) return 'the document is not an object';
  const copies = new WeakSet<object>();
  const root = shallow(doc);
  copies.add(root);
  for (const [index, op] of ops.entries()) {
    if (typeof op.path !== 'string' || (op.path !== '' && !op.path.startsWith('/'))) {
      return `operation ${index}: bad path`;
    }
    // Copy every container on the way to the target's parent, so the operation mutates copies.
    const tokens = op.path === '' ? [] : op.path.slice(1).split('/').map(unescape);
    let node: Record<string, unknown> = root as Record<string, unknown>;
    for (const token of tokens.slice(0, -1)) {
      if (!Object.prototype.hasOwnProperty.call(node, token)) break; // applyOperation reports it
      const child = node[token];
      if (typeof child !== 'object' || child === null) break;
      const copy = copies.has(child) ? child : shallow(child);
      copies.add(copy);
      node[token] = copy;
      node = copy as Record<string, unknown>;
    }
    try {
      applyOperation(root, op, true, true, true, index);
    } catch (err) {
      return `operation ${index} (${op.op} ${op.path}): ${(err as Error).message.split('\n')[0]}`;
    }
  }
  return undefined;
}
