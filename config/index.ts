import path from 'node:path'
import fs from 'node:fs'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'

/** CHUYAN_STATS=<file>: writes the h5 build's chunks and their modules there, to see what makes a chunk big. */
class StatsFile {
  constructor (private readonly file: string) {}
  apply (compiler: any): void {
    compiler.hooks.done.tap('StatsFile', (stats: any) => {
      fs.writeFileSync(this.file, JSON.stringify(stats.toJson({ all: false, assets: true, chunks: true, chunkModules: true, ids: true, entrypoints: true })))
    })
  }
}

// Taro build config for both targets: weapp (WeChat) and h5 (served by the local cloud).
export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'chuyan',
    date: '2026-11-29',
    // NutUI is designed at 375px; our own styles at 750
    designWidth (input: any) {
      if (input?.file?.replace(/\\+/g, '/').indexOf('@nutui') > -1) return 375
      return 750
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // one folder per target so the weapp and h5 builds never erase each other; CHUYAN_DIST moves the whole
    // build elsewhere (parallel work on one machine)
    outputRoot: `${process.env.CHUYAN_DIST || 'dist'}/${process.env.TARO_ENV}`,
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    plugins: [],
    defineConstants: {},
    // h5 only: the favicon at the site's root (the weapp has WeChat's own icon)
    copy: {
      patterns: process.env.TARO_ENV === 'h5' ? [{ from: 'src/assets/h5/favicon.svg', to: `${process.env.CHUYAN_DIST || 'dist'}/h5/favicon.svg` }] : [],
      options: {}
    },
    // weapp: Chinese text as UTF-8 (3 bytes a character) rather than Taro's \uXXXX escapes (6); WeChat reads
    // UTF-8 sources, and the main package's many labels stay under its 600 KB budget
    ...(process.env.TARO_ENV === 'weapp' ? { terser: { enable: true, config: { output: { ascii_only: false } } } } : {}),
    framework: 'react',
    compiler: 'webpack5',
    // the webpack cache cuts repeat builds from ~20 s to ~5 s on these 2-core machines
    cache: { enable: true, name: `${process.env.TARO_ENV}-${(process.env.CHUYAN_DIST || 'dist').replace(/[^\w-]/g, '_')}`, buildDependencies: { config: [__filename] } },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } }
      },
      // keep the main package small: split node_modules used only by subpackages into them
      optimizeMainPackage: { enable: true }
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // index.html places the scripts and stylesheets itself, after the splash, so it shows before they arrive
      htmlPluginOption: { inject: false },
      webpackChain (chain: any) {
        // Every page is its own lazily loaded chunk. Taro splits only the entry's chunks, so each page carried its
        // own copy of NutUI, the kit and the area's shared parts (~170 KB a page). Split the pages' shared code too,
        // into chunks of at least 20 KB (a slow line pays ~400 ms a request), cached across pages and areas.
        chain.optimization.merge({
          splitChunks: {
            chunks: 'all',
            minSize: 20000,
            maxAsyncRequests: 8,
            maxInitialRequests: 6,
            cacheGroups: {
              vendors: { chunks: 'all', minChunks: 2, reuseExistingChunk: true },
              common: { chunks: 'all', minChunks: 2, reuseExistingChunk: true }
            }
          }
        })
        // src/domain is pure (no I/O, no side effects on import: docs/ARCHITECTURE.md, "Layers"): a page that uses
        // one rule does not carry the modules of the others.
        chain.module.rule('domain-is-pure').test(/[\\/]src[\\/]domain[\\/]/).sideEffects(false)
        if (process.env.CHUYAN_STATS) chain.plugin('chuyan-stats').use(StatsFile, [process.env.CHUYAN_STATS])
      },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js'
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css'
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } }
      }
    }
  }
  return merge({}, baseConfig)
})
