// One style for the whole project: JavaScript Standard Style for TypeScript (neostandard; its stylistic rules are
// the formatter: `npm run lint -- --fix` applies them) and React's rules of hooks. A few layout rules are off
// because the code's present style keeps short objects and JSX props on shared lines on purpose.
import neostandard from 'neostandard'
import reactHooks from 'eslint-plugin-react-hooks'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'dist-*/**', 'node_modules/**', '.localcloud/**', 'coverage/**', 'test/weapp-runtime/fixture/**']
  }),
  {
    rules: {
      '@stylistic/object-property-newline': 'off',
      '@stylistic/jsx-first-prop-new-line': 'off',
      '@stylistic/jsx-closing-bracket-location': 'off',
      '@stylistic/jsx-closing-tag-location': 'off',
      'react/jsx-handler-names': 'off',
      // `export const X = z.object(...)` beside `export type X = z.infer<typeof X>` is how every contract is named.
      '@typescript-eslint/no-redeclare': 'off'
    }
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error'
    }
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' }
  }
]
