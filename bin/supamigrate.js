#!/usr/bin/env node
'use strict';
// Node 22's on-disk cache of compiled modules (in the OS temp folder) spares each start most of
// the compile time of the CLI's modules; it never changes what the CLI does.
require('node:module').enableCompileCache?.();
require('../dist/cli/main.js').main(process.argv).then((code) => { process.exitCode = code; });
