#!/usr/bin/env node
// The CLI ships bundled (one file loads much faster than the module tree); see scripts/build.mjs.
import '../dist/cli/index.js';
