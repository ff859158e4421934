// Loads the plugin exactly as console 4.22 does (docs/architecture.md#console-plugin-loading): the @openshift/dynamic-plugin-sdk
// PluginStore, the entry callback `__load_plugin_entry__`, the webpack share scope of this host,
// and `@console/pluginAPI` resolved to the console version (without it the load hangs silently).
import { PluginStore, type PluginInfoEntry } from '@openshift/dynamic-plugin-sdk';
import i18n from 'i18next';

declare const __webpack_init_sharing__: (scope: string) => Promise<void>;
declare const __webpack_share_scopes__: Record<string, Record<string, unknown>>;

export const CONSOLE_VERSION = '4.22.0';
export const PLUGIN_NAME = 'userns-builds';

export const createPluginStore = async (): Promise<PluginStore> => {
  await __webpack_init_sharing__('default');
  window.__DEV_CONSOLE_SHARE_SCOPE__ = __webpack_share_scopes__.default;
  return new PluginStore({
    loaderOptions: {
      entryCallbackSettings: { name: '__load_plugin_entry__', registerCallback: true },
      sharedScope: __webpack_share_scopes__.default,
      customDependencyResolutions: { '@console/pluginAPI': CONSOLE_VERSION },
    },
  });
};

/** Reports a failed plugin the way the console's plugin status page would, plus the cause. */
export const failureOf = (store: PluginStore, name: string): string | undefined => {
  const info = store.getPluginInfo().find((p: PluginInfoEntry) => p.manifest.name === name);
  if (info?.status !== 'failed') return undefined;
  return info.errorMessage;
};

export const loadPlugin = async (store: PluginStore, name = PLUGIN_NAME): Promise<void> => {
  // A ConsolePlugin with `spec.i18n.loadType: Preload` (deploy/base sets it) has its translations
  // fetched while the plugin loads, not when a component first suspends on them; the console
  // lists such plugins' namespaces in SERVER_FLAGS.i18nNamespaces.
  const namespace = `plugin__${name}`;
  if ((window.SERVER_FLAGS.i18nNamespaces as string[] | undefined)?.includes(namespace)) {
    i18n.loadNamespaces(namespace).catch((e: Error) => {
      console.error(`Translations of plugin ${name} failed to load: ${e.message}`);
    });
  }
  await store.loadPlugin(`/api/plugins/${name}/plugin-manifest.json`);
  const info = store.getPluginInfo().find((p) => p.manifest.name === name);
  if (info?.status === 'failed') {
    // "Missing module export" and friends hide the real reason in errorCause.
    console.error(`Plugin ${name} failed to load: ${info.errorMessage}`, info.errorCause);
  } else if (info?.status === 'loaded') {
    console.info(`Plugin ${name} loaded`);
  }
};
