// Preloaded by scripts/electronegativity.mjs. Electronegativity 1.10 requires `commander`
// without declaring it and so runs on whatever copy is hoisted; here that is this project's
// commander 14, whose API it cannot use (`.version is not a function`). Its own dependency
// tree has the commander 5 it was written for (under @electron/asar): send its requires there.
const Module = require('node:module');
const path = require('node:path');

const tool = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const asar = path.dirname(require.resolve('@electron/asar/package.json', { paths: [tool] }));
const commander5 = require.resolve('commander', { paths: [asar] });

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(tool + path.sep)) return commander5;
  return resolve.call(this, request, parent, ...rest);
};
