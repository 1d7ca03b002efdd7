/**
 * The import rules of ARCHITECTURE.md, checked on every `npm test`: a broken layer boundary fails
 * the build instead of waiting for review.
 */
module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-nothing',
      comment: 'kernel/ holds the deterministic primitives and imports nothing else from src/.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'wire-imports-kernel-only',
      comment: 'wire/ knows AWS protocols, not fleets: it may import kernel/ only.',
      severity: 'error',
      from: { path: '^src/wire/' },
      to: { path: '^src/', pathNot: '^src/(wire|kernel)/' },
    },
    {
      name: 'store-imports-kernel-only',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(store|kernel)/' },
    },
    {
      name: 'service-imports',
      comment:
        'A service may import kernel/, store/, its own files, and the ports.ts of other services (types only); never wire/, dataplane/, sim/ or another service internals.',
      severity: 'error',
      from: { path: '^src/services/([^/]+)/' },
      to: {
        path: '^src/',
        pathNot: ['^src/(kernel|store)/', '^src/services/$1/', '^src/services/[^/]+/ports\\.ts$'],
      },
    },
    {
      name: 'dataplane-and-sim-imports',
      comment: 'dataplane/ and sim/ implement service ports: kernel/ and services/*/ports.ts only.',
      severity: 'error',
      from: { path: '^src/(dataplane|sim)/' },
      to: { path: '^src/', pathNot: ['^src/kernel/', '^src/services/[^/]+/ports\\.ts$', '^src/$1/'] },
    },
    {
      name: 'controllers-use-the-sdk-only',
      comment: 'Shipped automation runs unchanged against real AWS: it may not import engine internals.',
      severity: 'error',
      from: { path: '^controllers/' },
      to: { path: '^src/' },
    },
    {
      name: 'only-cli-imports-main',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/main\\.ts$'] },
      to: { path: '^src/(main\\.ts|cli/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
