#!/usr/bin/env node
// TEMPORARY placeholder
if (process.argv.includes('--version')) { console.log('schema-engine-cli 0edf323efd1d98336f3f0a68684b56f689b900d3'); process.exit(0); }
process.exit(1);
