// Asks before leaving a page with unsaved changes, by every way out a browser offers: closing or
// reloading the tab (beforeunload), following an in-app link (a capturing click listener runs
// before the router's own handler) and the back/forward buttons (popstate).
// The console's router is not a data router, so react-router's useBlocker is not available, and a
// popstate cannot be cancelled: the browser has already moved when it fires. So the guard listens
// in the capture phase, which at the window runs before the router's (bubbling) listener, hides
// the event from the router while it asks, and then either hands the same event on or moves the
// browser back to the page.
import { useEffect } from 'react';

function leavesPage(event: MouseEvent): boolean {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  const target = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(target instanceof HTMLAnchorElement) || target.target === '_blank') return false;
  const url = new URL(target.href, window.location.href);
  return url.pathname !== window.location.pathname || url.origin !== window.location.origin;
}

/** The position react-router (and history 5) keep in each entry's state, when there is one. */
function entryIndex(state: unknown): number | undefined {
  if (typeof state !== 'object' || state === null || !('idx' in state)) return undefined;
  return typeof state.idx === 'number' ? state.idx : undefined;
}

/**
 * Guards history navigation away from the page it is armed on. Returns the listener's removal.
 * `ask` is called only when the browser has left the page's path.
 */
function guardHistory(ask: () => boolean): () => void {
  const page = { path: window.location.pathname, href: window.location.href };
  const pageState: unknown = window.history.state;
  const pageIndex = entryIndex(pageState);
  // The popstate our own history.go() causes on the way back: the router never saw us leave.
  let returning = false;
  // The event handed on to the router after a confirmed leave.
  let handingOn = false;

  const onPopState = (event: PopStateEvent) => {
    if (handingOn) return;
    if (returning) {
      returning = false;
      event.stopImmediatePropagation();
      return;
    }
    if (window.location.pathname === page.path) return;
    event.stopImmediatePropagation();
    if (ask()) {
      handingOn = true;
      try {
        window.dispatchEvent(new PopStateEvent('popstate', { state: event.state as unknown }));
      } finally {
        handingOn = false;
      }
      return;
    }
    const landed = entryIndex(event.state);
    if (pageIndex !== undefined && landed !== undefined && landed !== pageIndex) {
      // Back or forward by as many entries as the user went, keeping the entries on both sides.
      returning = true;
      window.history.go(pageIndex - landed);
    } else {
      // With no positions to go by, a new entry for the page is the only safe way back; the
      // forward entries are lost, the edit is not.
      window.history.pushState(pageState, '', page.href);
    }
  };
  window.addEventListener('popstate', onPopState, true);
  return () => window.removeEventListener('popstate', onPopState, true);
}

export function useUnsavedChangesGuard(dirty: boolean, message: string): void {
  useEffect(() => {
    if (!dirty) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = message;
      return message;
    };
    const onClick = (event: MouseEvent) => {
      if (!leavesPage(event)) return;
      if (window.confirm(message)) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    const unguardHistory = guardHistory(() => window.confirm(message));
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      unguardHistory();
    };
  }, [dirty, message]);
}
