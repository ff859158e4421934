import { useTranslation } from 'react-i18next';

/** The i18next namespace of every string in this plugin; console loads it from locales/. */
export const PLUGIN_NAMESPACE = 'plugin__userns-builds';

/** `t()` for this plugin's strings: the one place a component gets its namespace from. */
export function usePluginTranslation() {
  // A literal, not PLUGIN_NAMESPACE: the string extractor reads the namespace from this call.
  return useTranslation('plugin__userns-builds');
}
