// The registry the *.test.cjs files add their tests to (see index.cjs for the runner). Kept apart from
// index.cjs so that the tests and the runner share one module instance whatever loader the extension
// host uses for the entry point.
'use strict';

const registered = [];
let currentFile = '';

/**
 * Registers a test. options: { timeout: ms (default 30000), trust: 'trusted' | 'untrusted' | 'any',
 * locale: 'fr' (only in the French workbench run, E2E_LOCALE=fr, which runs only such tests), skip: false | 'reason' }.
 */
function test(name, fn, options = {}) {
  registered.push({
    file: currentFile,
    name,
    fn,
    timeout: options.timeout ?? 30000,
    trust: options.trust ?? 'trusted',
    locale: options.locale ?? 'en',
    skip: options.skip || false,
  });
}

function setCurrentFile(name) {
  currentFile = name;
}

module.exports = { test, registered, setCurrentFile };
