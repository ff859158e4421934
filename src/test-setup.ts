// Jest (plugin project) setup: DOM matchers, web globals jsdom lacks, and an i18next instance with no resources, so t()
// returns its key, which in this plugin is the English text itself.
import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

// react-router 7 needs these at import time; jsdom does not provide them.
Object.assign(globalThis, { TextEncoder, TextDecoder });

void i18n.use(initReactI18next).init({
  lng: 'en',
  fallbackLng: false,
  ns: ['plugin__userns-builds'],
  defaultNS: 'plugin__userns-builds',
  resources: {},
  // Keys are English sentences with ':' and '.', as in the console.
  keySeparator: false,
  nsSeparator: false,
  // React escapes rendered text already.
  interpolation: { escapeValue: false },
  initAsync: false,
  // Keeps test output to the tests.
  showSupportNotice: false,
});
