// The public surface of @todo-api/client: everything openapi-generator made from api/openapi.yaml
// (APIs, models, runtime), plus the session-keeping client and the error helpers.
export * from './generated/index.js';
export { createClient, type ClientOptions, type TodoClient } from './client.js';
export { NetworkError, isNetworkError, type NetworkFailure } from './errors.js';
export { problemOf } from './problem.js';
export type { Session } from './session.js';
export {
    MemoryStore,
    Replica,
    type Conflict,
    type PullResult,
    type PushResult,
    type QueuedCommand,
    type ReplicaData,
    type ReplicaEvent,
    type ReplicaOptions,
    type ReplicaStore,
    type ResourceType,
    type StoredConflict,
    type SyncResult,
    type Wire,
} from './sync.js';
export {
    openEventStream,
    type EventSourceFactory,
    type EventSourceLike,
    type EventStream,
    type EventStreamOptions,
} from './events.js';
