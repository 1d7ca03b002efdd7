#!/usr/bin/env node
// The `drydock` command; the compiled CLI lives in dist/ (npm run build).
await import('../dist/cli/main.js');
