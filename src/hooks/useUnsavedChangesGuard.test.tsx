import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import type { FC } from 'react';
import { BrowserRouter, Link, Route, Routes, useLocation } from 'react-router';
import { useUnsavedChangesGuard } from './useUnsavedChangesGuard';

const MESSAGE = 'Leave and lose the changes?';

let mounts = 0;

const Editor: FC<{ dirty: boolean }> = ({ dirty }) => {
  useUnsavedChangesGuard(dirty, MESSAGE);
  // Counts mounts: a remount is an edit lost.
  useEffect(() => {
    mounts += 1;
  }, []);
  return <Link to="/next">Next</Link>;
};

const Where = () => <output aria-label="location">{useLocation().pathname}</output>;

// A real BrowserRouter over jsdom's history, so back and forward reach the router as popstate.
const App: FC<{ dirty: boolean }> = ({ dirty }) => (
  <BrowserRouter>
    <Routes>
      <Route path="/list" element={<Link to="/edit">Edit</Link>} />
      <Route path="/edit" element={<Editor dirty={dirty} />} />
      <Route path="/next" element={<p>next page</p>} />
    </Routes>
    <Where />
  </BrowserRouter>
);

const routerAt = () => screen.getByLabelText('location').textContent;
/** Where the router and the browser both are, once history traversal has settled. */
const bothAt = (path: string) =>
  waitFor(() => {
    expect(routerAt()).toBe(path);
    expect(window.location.pathname).toBe(path);
  });
const back = () => act(() => window.history.back());

let confirm: jest.SpyInstance<boolean, [message?: string]>;

beforeEach(() => {
  mounts = 0;
  window.history.replaceState(null, '', '/list');
  confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
});
afterEach(() => confirm.mockRestore());

/** Renders the list page and opens the editor from it, so the editor has an entry behind it. */
const openEditor = async (dirty: boolean) => {
  const view = render(<App dirty={dirty} />);
  fireEvent.click(screen.getByRole('link', { name: 'Edit' }));
  await bothAt('/edit');
  return view;
};

describe('useUnsavedChangesGuard: back, without the Navigation API', () => {
  it('keeps the page, mounted, where it is when the user stays', async () => {
    await openEditor(true);
    await back();
    await waitFor(() => expect(confirm).toHaveBeenCalledWith(MESSAGE));
    await bothAt('/edit');
    // Still guarded: back asks again.
    await back();
    await waitFor(() => expect(confirm).toHaveBeenCalledTimes(2));
    await bothAt('/edit');
    expect(mounts).toBe(1);
  });

  it('goes back, with one press, when the user confirms', async () => {
    await openEditor(true);
    confirm.mockReturnValue(true);
    await back();
    await bothAt('/list');
    expect(confirm).toHaveBeenCalledTimes(1);
  });

  it('lets the user leave without asking when nothing is unsaved', async () => {
    await openEditor(false);
    await back();
    await bothAt('/list');
    expect(confirm).not.toHaveBeenCalled();
  });

  it('gives back a plain history once the page is clean again', async () => {
    const view = await openEditor(true);
    view.rerender(<App dirty={false} />);
    // The copy of the entry is gone: one back reaches the list, without a question.
    await waitFor(() => expect(window.history.state).not.toHaveProperty('usernsBuildsGuard'));
    await back();
    await bothAt('/list');
    expect(confirm).not.toHaveBeenCalled();
  });

  it('stops guarding once the page is gone', async () => {
    const view = await openEditor(true);
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByRole('link', { name: 'Next' }));
    await bothAt('/next');
    view.unmount();
    confirm.mockClear();
    window.history.go(-2);
    await waitFor(() => expect(window.location.pathname).toBe('/edit'));
    expect(confirm).not.toHaveBeenCalled();
  });
});

describe('useUnsavedChangesGuard: back and forward, with the Navigation API', () => {
  let navigation: EventTarget;
  beforeEach(() => {
    // jsdom has no Navigation API: an EventTarget that dispatches the browser's `navigate` event.
    navigation = new EventTarget();
    Object.defineProperty(window, 'navigation', { value: navigation, configurable: true });
  });
  afterEach(() => {
    delete (window as { navigation?: unknown }).navigation;
  });

  /** Dispatches a `navigate` event as the browser would; true when the page cancelled it. */
  const navigate = (navigationType: string, path: string, cancelable = true) => {
    const event = Object.assign(new Event('navigate', { cancelable }), {
      navigationType,
      destination: { url: new URL(path, window.location.href).href },
    });
    navigation.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it('cancels a traversal away from the page unless the user confirms', async () => {
    await openEditor(true);
    const length = window.history.length;
    expect(navigate('traverse', '/list')).toBe(true);
    expect(confirm).toHaveBeenCalledWith(MESSAGE);
    confirm.mockReturnValue(true);
    expect(navigate('traverse', '/next')).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(2);
    // No copy of the entry is needed where the browser asks first.
    expect(window.history.length).toBe(length);
  });

  it('leaves alone what it need not or may not stop', async () => {
    const view = await openEditor(true);
    expect(navigate('traverse', '/edit?tab=cluster')).toBe(false);
    expect(navigate('push', '/next')).toBe(false);
    expect(navigate('traverse', '/list', false)).toBe(false);
    expect(confirm).not.toHaveBeenCalled();
    view.rerender(<App dirty={false} />);
    expect(navigate('traverse', '/list')).toBe(false);
    expect(confirm).not.toHaveBeenCalled();
  });
});

describe('useUnsavedChangesGuard: the tab and links', () => {
  const beforeUnload = () => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it('asks the browser to confirm closing or reloading the tab only while dirty', async () => {
    const view = await openEditor(false);
    expect(beforeUnload()).toBe(false);
    view.rerender(<App dirty />);
    expect(beforeUnload()).toBe(true);
    view.unmount();
    expect(beforeUnload()).toBe(false);
  });

  it('asks before following a link, and stays unless confirmed', async () => {
    await openEditor(true);
    fireEvent.click(screen.getByRole('link', { name: 'Next' }));
    expect(confirm).toHaveBeenCalledWith(MESSAGE);
    expect(routerAt()).toBe('/edit');
    confirm.mockReturnValue(true);
    fireEvent.click(screen.getByRole('link', { name: 'Next' }));
    await bothAt('/next');
  });
});
