// Two projects: the plugin runs in jsdom, everything else (core, backend, dev, deploy, testing) in node.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  // ESM-only packages that must be compiled to CommonJS for jest (deploy's CEL evaluator).
  // @kubernetes/client-node 1.x (and its openid-client, oauth4webapi, jose) is ESM-only too.
  transformIgnorePatterns: [
    '/node_modules/(?!(@marcbachmann/cel-js|github-slugger|@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: { '^@userns-builds/core$': '<rootDir>/core/index.ts' },
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'plugin',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src'],
      setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
      moduleNameMapper: {
        ...common.moduleNameMapper,
        '\\.(css|scss)$': '<rootDir>/__mocks__/style.ts',
        '^@openshift-console/dynamic-plugin-sdk$':
          '<rootDir>/__mocks__/@openshift-console/dynamic-plugin-sdk.tsx',
      },
    },
    {
      ...common,
      displayName: 'node',
      testEnvironment: 'node',
      roots: [
        '<rootDir>/core',
        '<rootDir>/backend',
        '<rootDir>/dev',
        '<rootDir>/deploy',
        '<rootDir>/docs',
        '<rootDir>/testing',
      ],
    },
    {
      // Browser tests (Playwright + Debian Chromium) against the whole local stack.
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/e2e'],
    },
  ],
};
