// i18next-parser settings for the plugin's strings (run through scripts/i18n.mjs).
// Keys are the English text itself, like the console's own catalogs.
export default {
  locales: ['en'],
  defaultNamespace: 'plugin__userns-builds',
  output: 'locales/$LOCALE/$NAMESPACE.json',
  input: ['src/**/*.{ts,tsx}', '!src/**/*.test.{ts,tsx}', '!src/test-setup.ts'],
  // English sentences contain ':' and '.', so neither may split a key.
  keySeparator: false,
  namespaceSeparator: false,
  // The English value of a key is the key.
  defaultValue: (_locale, _namespace, key) => key,
  sort: true,
  keepRemoved: false,
  createOldCatalogs: false,
  lexers: {
    ts: ['JavascriptLexer'],
    tsx: ['JsxLexer'],
  },
  indentation: 2,
  lineEnding: 'lf',
};
