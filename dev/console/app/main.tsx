// Entry of the dev console shell: i18n, redux (react-redux is a shared module plugins may use),
// the PluginStore, then the app. Shared modules are eager, so no async import boundary is needed.
import '@patternfly/react-core/dist/styles/base.css';
import './shell.css';
import { StrictMode, useEffect, useState, type FC } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider as ReduxProvider } from 'react-redux';
import { createStore, applyMiddleware } from 'redux';
import { thunk } from 'redux-thunk';
import { PluginStoreProvider, type PluginStore } from '@openshift/dynamic-plugin-sdk';
import { App } from './App';
import { initI18n } from './i18n';
import { createPluginStore, failureOf, loadPlugin, PLUGIN_NAME } from './plugins';
import { consoleFetchJSON } from '../sdk/k8s';
import { discoverModels } from '../sdk/models';

declare global {
  interface Window {
    SERVER_FLAGS: Record<string, unknown>;
    /** The webpack share scope, for the browser tests to check who provided each module. */
    __DEV_CONSOLE_SHARE_SCOPE__?: unknown;
  }
}

// Plugins read a few console server flags; give them the values a 4.22 console would.
window.SERVER_FLAGS = {
  basePath: '/',
  consolePlugins: [PLUGIN_NAME],
  releaseVersion: '4.22.0',
  i18nNamespaces: [`plugin__${PLUGIN_NAME}`],
};

const store = createStore((state: Record<string, unknown> = {}) => state, applyMiddleware(thunk));

const Root: FC<{ pluginStore: PluginStore }> = ({ pluginStore }) => {
  const [pending, setPending] = useState(true);
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    loadPlugin(pluginStore)
      .catch((e: Error) => {
        // A manifest that can't be fetched or parsed rejects instead of marking the plugin failed.
        console.error(`Plugin ${PLUGIN_NAME} failed to load: ${e.message}`, e.cause ?? e);
        setFailure(e.message);
      })
      .finally(() => {
        setFailure((f) => f ?? failureOf(pluginStore, PLUGIN_NAME));
        setPending(false);
      });
  }, [pluginStore]);
  return (
    <ReduxProvider store={store}>
      <PluginStoreProvider store={pluginStore}>
        <BrowserRouter>
          <App pluginFailure={failure} pluginPending={pending} />
        </BrowserRouter>
      </PluginStoreProvider>
    </ReduxProvider>
  );
};

const main = async () => {
  void discoverModels((url) => consoleFetchJSON(url));
  await initI18n();
  const pluginStore = await createPluginStore();
  createRoot(document.getElementById('app')!).render(
    <StrictMode>
      <Root pluginStore={pluginStore} />
    </StrictMode>,
  );
};

void main();
