// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../package.json') as { version: string };

/** The engine version recorded in plans; part of what makes a plan reproducible. */
export const ENGINE_VERSION: string = pkg.version;
