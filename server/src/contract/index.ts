/** The contract shared by the client and the server: request schemas, response shapes, limits. */
export * from './common';
export * from './limits';
export * from './reports';
export * from './communes';
export * from './addresses';
export * from './workflow';
export * from './filters';
export * from './history';
