// The fake gateway ships in src/demo (the `demo` command uses it); tests import it from here.
export * from '../../src/demo/fake-gateway.js';
