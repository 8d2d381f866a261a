// The public surface of @todo-api/client: everything openapi-generator made from api/openapi.yaml
// (APIs, models, runtime), plus two conveniences.
export * from './generated/index.js';
export { createClient, type TodoClient } from './client.js';
export { problemOf } from './problem.js';
