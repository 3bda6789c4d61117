import NODE_ONLY_MODULES from './node-only-modules.json';

/** Where the workflow code lives, for the bundler. Everything it may import is under the same folder. */
export const WORKFLOWS_PATH = require.resolve('../../workflows');

/** The failure converter of the sandbox, the worker and every client (see the file). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * Modules the workflow bundle must never pull in: they do I/O or are Node-only.
 * One list, node-only-modules.json: the bundler stubs them out and lint bans
 * them under workflows/ (eslint.config.mjs reads the same file).
 */
export const IGNORED_MODULES: string[] = NODE_ONLY_MODULES;
