// i18next as the console sets it up for plugins: namespaces are loaded on demand from
// /locales/resource.json?lng=&ns=, which the shell's server answers from the plugin's locales.
import i18n, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';

const backend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language: string, namespace: string, callback: ReadCallback) {
    fetch(
      `/locales/resource.json?lng=${encodeURIComponent(language)}&ns=${encodeURIComponent(namespace)}`,
    )
      .then((r) => (r.ok ? r.json() : {}))
      .then((data) => callback(null, data))
      .catch((e: Error) => callback(e, false));
  },
};

export const initI18n = () =>
  i18n
    .use(backend)
    .use(initReactI18next)
    .init({
      lng: 'en',
      fallbackLng: 'en',
      ns: ['public'],
      defaultNS: 'public',
      // Keys are the English strings; `ns~key` is how console extension names pick a namespace.
      nsSeparator: '~',
      keySeparator: false,
      interpolation: { escapeValue: false },
      react: { useSuspense: true },
    });

/** Console extension labels like `%plugin__x~Some text%` are translation keys. */
export const translateLabel = (label: string, t: (key: string) => string): string => {
  const m = /^%(.+)%$/.exec(label);
  return m ? t(m[1]!) : label;
};
