#!/bin/sh
# Starts the CLI with the Node flags of the role it runs (cli/node-flags.ts; a test keeps them equal):
# V8 reads them at start-up only, and --single-threaded-gc is refused in NODE_OPTIONS.
set -eu
case "${1:-}" in
  sidecar) exec node --max-semi-space-size=8 --single-threaded-gc dist/cli/sidegate.js "$@" ;;
  *) exec node --max-semi-space-size=8 dist/cli/sidegate.js "$@" ;;
esac
