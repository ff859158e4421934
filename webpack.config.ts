// Builds the console dynamic plugin into dist/: plugin-manifest.json, the plugin entry, chunks
// and the locales the console backend fetches from the plugin service.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Compiler, Configuration, WebpackPluginInstance } from 'webpack';
import { ConsoleRemotePlugin } from '@openshift-console/dynamic-plugin-sdk-webpack';
import { BundleBudgetPlugin } from './dev/bundle-budget';

// docs/architecture.md#console-plugin-loading: NODE_ENV (not --mode) is what the SDK reads to hash the entry's name, so everything
// else keys off it too.
const isProd = process.env.NODE_ENV === 'production';

const localesDir = path.resolve(__dirname, 'locales');

/**
 * The console serves a plugin's translations from `<plugin>/locales/<lng>/<ns>.json`, so they must
 * ship in dist/. Emitting them here avoids a copy-webpack-plugin dependency for a handful of files.
 */
class EmitLocalesPlugin implements WebpackPluginInstance {
  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(EmitLocalesPlugin.name, (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: EmitLocalesPlugin.name, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          if (!fs.existsSync(localesDir)) return;
          for (const lng of fs.readdirSync(localesDir)) {
            const lngDir = path.join(localesDir, lng);
            for (const file of fs.readdirSync(lngDir).filter((f) => f.endsWith('.json'))) {
              const full = path.join(lngDir, file);
              compilation.fileDependencies.add(full);
              compilation.emitAsset(
                `locales/${lng}/${file}`,
                new sources.RawSource(fs.readFileSync(full)),
              );
            }
          }
        },
      );
    });
  }
}

const config: Configuration = {
  mode: isProd ? 'production' : 'development',
  // The SDK resolves exposed modules (package.json consolePlugin.exposedModules) from here.
  context: path.resolve(__dirname, 'src'),
  // ConsoleRemotePlugin adds the plugin entry itself.
  entry: {},
  output: {
    path: path.resolve(__dirname, 'dist'),
    // publicPath is not set on purpose: ConsoleRemotePlugin forces /api/plugins/userns-builds/
    // and warns when a config sets one.
    filename: isProd ? '[name]-bundle-[contenthash].min.js' : '[name]-bundle.js',
    chunkFilename: isProd ? '[name]-chunk-[chunkhash].min.js' : '[name]-chunk.js',
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js', '.jsx'],
    alias: { '@userns-builds/core': path.resolve(__dirname, 'core/index.ts') },
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        // Only our sources: src/ and the shared ../core (outside the webpack context).
        include: [path.resolve(__dirname, 'src'), path.resolve(__dirname, 'core')],
        use: [
          {
            loader: 'ts-loader',
            options: {
              configFile: path.resolve(__dirname, 'tsconfig.json'),
              // `npm run typecheck` (tsc -p .) owns type errors; the bundle only needs JS.
              transpileOnly: true,
              compilerOptions: { noEmit: false },
            },
          },
        ],
      },
      {
        test: /\.css$/,
        use: ['style-loader', 'css-loader'],
      },
    ],
  },
  plugins: [
    new ConsoleRemotePlugin(),
    new EmitLocalesPlugin(),
    // Production only: development bundles are unminified and would always be over.
    ...(isProd ? [new BundleBudgetPlugin('userns-builds')] : []),
  ],
  devtool: isProd ? false : 'source-map',
  optimization: {
    chunkIds: isProd ? 'deterministic' : 'named',
    minimize: isProd,
  },
  // Plugin chunks are loaded lazily by the console; size hints about them are noise.
  performance: { hints: false },
};

export default config;
