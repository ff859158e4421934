// Builds the dev console shell: a module-federation HOST that provides the shared modules console
// 4.22 provides to plugins (the SDK webpack package's list), eagerly, plus PatternFly's dynamic
// modules. The shell's own SDK implementation is provided under the SDK's package names.
//
// NODE_ENV=production builds it the way the real console ships (minified, React's production
// build): `npm run bench:ui` measures that, since a development bundle spends most of a page load
// in code no user runs. `npm start` and the browser tests keep the development build (readable
// errors); the bench writes its production build elsewhere (`--output-path`).
import * as path from 'node:path';
import { container, type Configuration } from 'webpack';
import { dynamicModulePackageSpecs } from '@openshift-console/dynamic-plugin-sdk-webpack/lib/webpack/ConsoleRemotePlugin';
import {
  DynamicModuleImportPlugin,
  resolveDynamicModuleMaps,
} from '@openshift-console/dynamic-plugin-sdk-webpack/lib/webpack/DynamicModuleImportPlugin';
import { sharedPluginModules } from '@openshift-console/dynamic-plugin-sdk-webpack/lib/shared-modules/shared-modules-meta';

const root = path.resolve(__dirname, '../..');
const here = __dirname;
const CONSOLE_VERSION = '4.22.0';
const isProd = process.env.NODE_ENV === 'production';

const versionOf = (pkg: string): string | undefined => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${pkg}/package.json`).version as string;
  } catch {
    return undefined;
  }
};

type Shared = Record<
  string,
  {
    import?: string | false;
    version?: string;
    singleton?: boolean;
    eager?: boolean;
    requiredVersion?: string | false;
  }
>;

/** Every module console shares; the SDK packages map to this shell's implementation. */
const consoleShared = (): Shared => {
  const impl: Record<string, string> = {
    '@openshift-console/dynamic-plugin-sdk': path.join(here, 'sdk/index.ts'),
    '@openshift-console/dynamic-plugin-sdk-internal': path.join(here, 'sdk/internal.ts'),
  };
  const shared: Shared = {};
  for (const name of sharedPluginModules) {
    if (impl[name]) {
      shared[name] = {
        import: impl[name],
        version: CONSOLE_VERSION,
        singleton: true,
        eager: true,
        requiredVersion: false,
      };
      continue;
    }
    const version = versionOf(name);
    // react-router-dom(-v5-compat) are deprecated and not installed: nothing to provide.
    if (!version) continue;
    // Topology is large and rarely used: shared lazily, fetched only if a plugin consumes it.
    const eager = name !== '@patternfly/react-topology';
    shared[name] = {
      import: require.resolve(name),
      version,
      singleton: true,
      eager,
      requiredVersion: false,
    };
  }
  // Not a console-shared module, but PatternFly and React itself need exactly one react-dom.
  shared['react-dom'] = {
    import: require.resolve('react-dom'),
    version: versionOf('react-dom'),
    singleton: true,
    eager: true,
  };
  return shared;
};

const dynamicModuleMaps = resolveDynamicModuleMaps(dynamicModulePackageSpecs, [
  path.join(root, 'node_modules'),
]);

/**
 * PatternFly dynamic modules (`@patternfly/react-core/dist/dynamic/components/Button`, ...).
 * Webpack provides a shared module given by package name only if the host itself imports it; an
 * `import` that is a resolved path is provided unconditionally. Without that, every component the
 * shell doesn't use comes from the plugin's own PatternFly copy (the browser tests check this).
 * The version is the package's: the per-module package.json files carry a stale one.
 */
const patternflyShared = (): Shared => {
  const shared: Shared = {};
  for (const [pkg, map] of Object.entries(dynamicModuleMaps)) {
    const version = versionOf(pkg);
    for (const request of new Set(Object.values(map))) {
      const key = `${pkg}/${request}`;
      shared[key] = { import: require.resolve(key), version, eager: true };
    }
  }
  return shared;
};

const config: Configuration = {
  mode: isProd ? 'production' : 'development',
  context: here,
  entry: { main: path.join(here, 'app/main.tsx') },
  output: {
    path: path.join(here, 'dist'),
    publicPath: '/static/',
    filename: '[name].js',
    chunkFilename: '[name].chunk.js',
    // The plugin's runtime registers itself under its own name; keep the host's distinct.
    uniqueName: 'userns-builds-dev-console',
    clean: true,
  },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        include: [here],
        use: [
          {
            loader: 'ts-loader',
            options: {
              configFile: path.join(root, 'tsconfig.json'),
              transpileOnly: true,
              compilerOptions: { noEmit: false, module: 'esnext' },
            },
          },
        ],
      },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(woff2?|ttf|eot|svg|png|jpe?g|gif)$/, type: 'asset/resource' },
    ],
  },
  plugins: [
    new container.ModuleFederationPlugin({
      name: 'devConsole',
      shared: { ...consoleShared(), ...patternflyShared() },
    }),
    // The shell imports PatternFly the way plugins do, so both use the same shared module instances.
    new DynamicModuleImportPlugin({
      dynamicModuleMaps,
      moduleFilter: (request: string) => request.startsWith(here) && /\.tsx?$/.test(request),
    }),
  ],
  devtool: false,
  performance: { hints: false },
  stats: 'errors-warnings',
};

export default config;
