// Asks before leaving a page with unsaved changes, by every way out a browser offers: closing or
// reloading the tab (beforeunload), following an in-app link (a capturing click listener runs
// before the router's own handler) and the back/forward buttons.
// The console's router is not a data router, so react-router's useBlocker is not available. A
// popstate cannot be cancelled and reaches the router first (it listened first), so by the time
// this page hears it the router is already leaving. Where the browser has the Navigation API its
// `navigate` event comes before the move and may be cancelled; elsewhere a copy of the page's
// history entry is kept on top, so that back lands on the page itself and can ask from there.
import { useEffect } from 'react';

function leavesPage(event: MouseEvent): boolean {
  if (event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  const target = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!(target instanceof HTMLAnchorElement) || target.target === '_blank') return false;
  const url = new URL(target.href, window.location.href);
  return url.pathname !== window.location.pathname || url.origin !== window.location.origin;
}

/** The part of the Navigation API used here (TypeScript's DOM library does not declare it yet). */
interface NavigateEventLike extends Event {
  readonly navigationType: 'push' | 'replace' | 'reload' | 'traverse';
  readonly destination: { readonly url: string };
}

function navigationApi(): EventTarget | undefined {
  const nav: unknown = (window as { navigation?: unknown }).navigation;
  return nav instanceof EventTarget ? nav : undefined;
}

/** Back/forward through the Navigation API: asked before the browser moves, cancelled to stay. */
function guardTraversals(nav: EventTarget, ask: () => boolean): () => void {
  const path = window.location.pathname;
  const onNavigate = (event: Event) => {
    const { navigationType, destination } = event as NavigateEventLike;
    // A traversal the browser does not let a page cancel (another document, or no user
    // activation since the last cancel) is left to beforeunload.
    if (navigationType !== 'traverse' || !event.cancelable) return;
    if (new URL(destination.url).pathname === path) return;
    if (!ask()) event.preventDefault();
  };
  nav.addEventListener('navigate', onNavigate);
  return () => nav.removeEventListener('navigate', onNavigate);
}

const KEPT = 'usernsBuildsGuard';

function isKeptEntry(state: unknown): boolean {
  return typeof state === 'object' && state !== null && KEPT in state;
}

/**
 * Back without the Navigation API: a copy of the page's entry on top of it, so that back pops to
 * the page itself (the router sees the same location and stays). Then the guard asks: staying
 * puts the copy back, leaving goes back once more. Forward entries are lost while the page is
 * dirty; the edit is not.
 */
function guardBackWithCopy(ask: () => boolean): () => void {
  const href = window.location.href;
  const state: unknown = window.history.state;
  const copy = { ...(typeof state === 'object' && state !== null ? state : {}), [KEPT]: true };
  window.history.pushState(copy, '', href);
  let leaving = false;
  const onPopState = () => {
    if (leaving || window.location.href !== href || isKeptEntry(window.history.state)) return;
    if (ask()) {
      leaving = true;
      window.history.back();
    } else {
      window.history.pushState(copy, '', href);
    }
  };
  window.addEventListener('popstate', onPopState);
  return () => {
    window.removeEventListener('popstate', onPopState);
    // Clean again on the same page (saved or discarded): drop the copy, or back would seem dead.
    if (!leaving && window.location.href === href && isKeptEntry(window.history.state)) {
      window.history.back();
    }
  };
}

export function useUnsavedChangesGuard(dirty: boolean, message: string): void {
  useEffect(() => {
    if (!dirty) return undefined;
    const ask = () => window.confirm(message);
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = message;
      return message;
    };
    const onClick = (event: MouseEvent) => {
      if (!leavesPage(event)) return;
      if (ask()) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    const nav = navigationApi();
    const unguardHistory = nav ? guardTraversals(nav, ask) : guardBackWithCopy(ask);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      unguardHistory();
    };
  }, [dirty, message]);
}
