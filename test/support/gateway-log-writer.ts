export * from '../../src/demo/gateway-log-writer.js';
