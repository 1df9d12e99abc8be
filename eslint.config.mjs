// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['bench/_*', 'dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly', AbortController: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // The sample app is plain CommonJS on purpose: OpenTelemetry instrumentations patch `require`.
    files: ['sample/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
  {
    // Scripts, benchmarks and tests report to the terminal on purpose.
    files: ['scripts/**', 'bench/**', 'test/**', 'src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Webview code renders untrusted trace content (span names, prompts, tool output). It must build DOM
    // with createElement + textContent only: any HTML-parsing sink turns a span named
    // `<img src=x onerror=…>` into script execution inside the editor. See webview/src/shared/dom.ts.
    files: ['webview/**/*.ts'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', ResizeObserver: 'readonly' },
    },
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Trace content is untrusted: build DOM with el()/textContent (webview/src/shared/dom.ts).' },
        { property: 'outerHTML', message: 'Trace content is untrusted: build DOM with el()/textContent.' },
        { property: 'insertAdjacentHTML', message: 'Trace content is untrusted: build DOM with el()/textContent.' },
        { property: 'createContextualFragment', message: 'Parses HTML: build DOM with el()/textContent.' },
        { property: 'setHTMLUnsafe', message: 'Parses HTML: build DOM with el()/textContent.' },
        { property: 'parseFromString', message: 'Parses HTML: build DOM with el()/textContent.' },
        { object: 'document', property: 'write', message: 'document.write parses HTML.' },
        { object: 'document', property: 'writeln', message: 'document.writeln parses HTML.' },
      ],
      'no-restricted-syntax': [
        'error',
        // The same sinks reached with computed access (el['innerHTML']) or a string literal key.
        { selector: "MemberExpression[computed=true][property.value=/^(innerHTML|outerHTML|insertAdjacentHTML|srcdoc)$/]", message: 'HTML sinks are forbidden in webview code.' },
        // Inline event handler attributes (setAttribute('onclick', …)) would also be blocked by the CSP.
        { selector: "CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^on/i]", message: 'No inline event handlers: use addEventListener.' },
      ],
      'no-restricted-imports': [
        'error',
        { name: 'lit/directives/unsafe-html.js', message: 'unsafeHTML renders untrusted content as HTML.' },
        { name: 'lit-html/directives/unsafe-html.js', message: 'unsafeHTML renders untrusted content as HTML.' },
      ],
    },
  },
);
