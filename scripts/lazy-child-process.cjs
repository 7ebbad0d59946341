// What the CLI bundle gives commander for require('node:child_process') (scripts/build-lib.mjs):
// the module, required when commander first uses it. Commander needs it only for subcommands
// that are programs of their own, which proclab has none of; required at its load, it brought
// node:net into every start, a few ms (issue 17).
let loaded;
const real = () => (loaded ??= require('node:child_process'));
module.exports = new Proxy({}, { get: (_, key) => real()[key] });
