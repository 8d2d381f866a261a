// The sync helper: a local replica of the signed-in user's lists, tasks and tags, kept up to date from the change
// feed (GET /api/v1/sync), with writes queued while offline and sent as offline batches (POST /api/v1/batch).
// Design notes: docs/sync.md, "The TypeScript sync helper".
import {
    type BatchCommand,
    type ListMove,
    ListMoveToJSON,
    type Problem,
    ProblemFromJSON,
    ResponseError,
    type Tag,
    type TagCreate,
    TagCreateToJSON,
    TagFromJSON,
    type TagPatch,
    TagPatchToJSON,
    type Task,
    type TaskCreate,
    TaskCreateToJSON,
    TaskFromJSON,
    type TaskMove,
    TaskMoveToJSON,
    type TaskPatch,
    TaskPatchToJSON,
    type TodoList,
    type TodoListCreate,
    TodoListCreateToJSON,
    TodoListFromJSON,
    type TodoListPatch,
    TodoListPatchToJSON,
} from './generated/index.js';
import type { TodoClient } from './client.js';
import { type EventStream, type EventStreamOptions, openEventStream } from './events.js';
import { isNetworkError } from './errors.js';

/** The three kinds of resource the feed carries. */
export type ResourceType = 'list' | 'task' | 'tag';

/** A JSON object as the API sends it (snake_case fields). */
export type Wire = Record<string, unknown>;

/** A write waiting to be sent: a batch command in the API's JSON form, with what the helper needs to send it. */
export interface QueuedCommand {
    /** The batch command (`id`, `type`, `temp_id`, `resource_id`, `args`), as sent; `if_version` is set on sending. */
    command: Wire;
    /** The resource's version the edit was made on, when the replica knew it (the first edit of a resource). */
    baseVersion?: number;
    /** The resource as it was when the edit was made: what a 412 is merged against. */
    base?: Wire;
    /** How often a 412 was merged and the command sent again. */
    merges?: number;
    /** When the command was queued (ms since the epoch). */
    queuedAt: number;
}

/**
 * What a {@link ReplicaStore} keeps: plain JSON (the API's own representations), so that any store can keep it as
 * it is (`JSON.stringify`, IndexedDB, a file).
 */
export interface ReplicaData {
    format: 1;
    /** The feed's `sync_token` the server state below stands for; absent before the first full sync. */
    token?: string;
    lists: Record<string, Wire>;
    tasks: Record<string, Wire>;
    tags: Record<string, Wire>;
    /** Writes not yet acknowledged by the server, in order. */
    queue: QueuedCommand[];
    /** Every temp id the server has answered, to its real id. */
    tempIds: Record<string, string>;
    /** Conflicts and refusals not yet resolved. */
    conflicts: StoredConflict[];
}

/** Where a replica keeps its state between sessions. Both methods may be synchronous or return promises. */
export interface ReplicaStore {
    load(): ReplicaData | undefined | Promise<ReplicaData | undefined>;
    save(data: ReplicaData): void | Promise<void>;
}

/** A store in memory (the default): a copy of the data, so that nothing outside changes it. */
export class MemoryStore implements ReplicaStore {
    private data: ReplicaData | undefined;

    load(): ReplicaData | undefined {
        return this.data === undefined ? undefined : structuredClone(this.data);
    }

    save(data: ReplicaData): void {
        this.data = structuredClone(data);
    }
}

/** A conflict as the store keeps it. */
export interface StoredConflict {
    key: string;
    status: number;
    type: ResourceType;
    resourceId: string;
    commands: QueuedCommand[];
    problem?: Wire;
    current?: Wire;
}

/**
 * A write the server did not apply. `status` 412 (`PRECONDITION_FAILED`): the resource changed on the server since
 * the replica saw it; `current` is the server's version, to merge with. Any other status (404: deleted meanwhile,
 * 422: refused) is the problem the REST operation would answer. `commands` are this write and the later queued
 * writes of the same resource, none of them applied. Resolve it with {@link Replica.retry} (apply the local writes
 * over `current`) or {@link Replica.dismiss} (keep the server's state).
 */
export interface Conflict {
    readonly key: string;
    readonly status: number;
    readonly code?: string;
    readonly type: ResourceType;
    readonly resourceId: string;
    readonly commands: readonly BatchCommand[];
    readonly problem?: Problem;
    readonly current?: Task | TodoList | Tag;
}

/** What happened to the replica: for a UI to re-render, map ids, or show a conflict. */
export type ReplicaEvent =
    | { kind: 'changed'; source: 'local' | 'server' }
    | { kind: 'ids'; tempIds: Readonly<Record<string, string>> }
    | { kind: 'conflict'; conflict: Conflict }
    | { kind: 'resync'; reason: 'expired' };

/** The settings of {@link Replica.open}. */
export interface ReplicaOptions {
    /** Where the replica is kept; default: in memory. */
    store?: ReplicaStore;
    /** Changes per feed page (1 to 1,000, default 1,000). */
    pageSize?: number;
    /** Commands per batch (1 to 100, default 100). */
    batchSize?: number;
    /** Ids for commands and temp ids; default `crypto.randomUUID`. */
    newId?: () => string;
    /** Milliseconds since the epoch, like `Date.now` (the default). */
    clock?: () => number;
}

/** What {@link Replica.pull} did. */
export interface PullResult {
    /** Changes applied (upserts and deletes). */
    changes: number;
    /** Whether the token had expired (410 SYNC_TOKEN_EXPIRED) and the replica was rebuilt from a full snapshot. */
    resynced: boolean;
}

/** What {@link Replica.push} did. */
export interface PushResult {
    /** Commands the server acknowledged (applied now, or replayed: applied before a lost response). */
    applied: number;
    /** Writes the server refused, now in {@link Replica.conflicts}. */
    conflicts: Conflict[];
    /** Commands still queued (offline, or the server failed: they go with the next push). */
    pending: number;
    /** Set when the push stopped because no response came (offline): the queue is kept, in order. */
    offline?: boolean;
}

/** What {@link Replica.sync} did. */
export interface SyncResult {
    push: PushResult;
    /** Absent when the push found the server unreachable. */
    pull?: PullResult;
    offline: boolean;
}

const TYPES: readonly ResourceType[] = ['list', 'task', 'tag'];
const KEYS = { list: 'lists', task: 'tasks', tag: 'tags' } as const;

/**
 * A local replica of the signed-in user's lists, tasks and tags.
 *
 * Reads (`tasks()`, `task(id)`, ...) show the server's state as of the last {@link pull}, with the queued writes
 * applied over it (optimistically: the server's counts and positions are not recomputed). Writes (`createTask`,
 * `updateTask`, ...) are queued, kept in the store, and sent by {@link push} as offline batches, in order, each
 * command once: a batch whose response was lost is sent again with the same command ids and changes nothing
 * twice. An edit carries the version it was made on, so an edit of something another device changed meanwhile
 * becomes a {@link Conflict} instead of overwriting it.
 *
 * One replica per client and store; its network calls run one at a time.
 */
export class Replica {
    private data: ReplicaData;
    private view: { lists: Map<string, Wire>; tasks: Map<string, Wire>; tags: Map<string, Wire> } | undefined;
    private readonly listeners = new Set<(event: ReplicaEvent) => void>();
    private running: Promise<unknown> = Promise.resolve();
    /** Ids of the commands of the batch on its way: a later edit is never merged into one of them. */
    private readonly inFlight = new Set<string>();

    private constructor(
        private readonly client: TodoClient,
        private readonly store: ReplicaStore,
        data: ReplicaData | undefined,
        private readonly pageSize: number,
        private readonly batchSize: number,
        private readonly newId: () => string,
        private readonly clock: () => number,
    ) {
        this.data = data ?? { format: 1, lists: {}, tasks: {}, tags: {}, queue: [], tempIds: {}, conflicts: [] };
    }

    /** A replica over `client` (signed in), with the state its store kept, if any. Call {@link sync} next. */
    static async open(client: TodoClient, options: ReplicaOptions = {}): Promise<Replica> {
        const { store = new MemoryStore(), pageSize = 1000, batchSize = 100, clock = Date.now } = options;
        const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
        if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)) {
            throw new RangeError(`pageSize must be an integer from 1 to 1000, not ${pageSize}`);
        }
        if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 100)) {
            throw new RangeError(`batchSize must be an integer from 1 to 100, not ${batchSize}`);
        }
        const data = await store.load();
        if (data !== undefined && data.format !== 1) {
            throw new Error(`The store holds replica data of format ${String(data.format)}; this helper reads format 1`);
        }
        return new Replica(client, store, data, pageSize, batchSize, newId, clock);
    }

    /** Calls `listener` on every {@link ReplicaEvent}; returns the function that stops it. */
    subscribe(listener: (event: ReplicaEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    // ---- reads: the server's state with the queued writes over it ----

    /** The lists, in the server's list order (new local lists last). */
    lists(): TodoList[] {
        return [...this.current().lists.values()].sort(byPosition).map((list) => TodoListFromJSON(list));
    }

    /** The tasks, of one list when `listId` is given, in manual order within each parent. */
    tasks(listId?: string): Task[] {
        const list = listId === undefined ? undefined : this.resolve(listId);
        return [...this.current().tasks.values()]
            .filter((task) => list === undefined || task['list_id'] === list)
            .sort(byPosition)
            .map((task) => TaskFromJSON(task));
    }

    /** The tags, by name. */
    tags(): Tag[] {
        return [...this.current().tags.values()]
            .sort((a, b) => String(a['name']).localeCompare(String(b['name'])))
            .map((tag) => TagFromJSON(tag));
    }

    list(id: string): TodoList | undefined {
        const list = this.current().lists.get(this.resolve(id));
        return list && TodoListFromJSON(list);
    }

    task(id: string): Task | undefined {
        const task = this.current().tasks.get(this.resolve(id));
        return task && TaskFromJSON(task);
    }

    tag(id: string): Tag | undefined {
        const tag = this.current().tags.get(this.resolve(id));
        return tag && TagFromJSON(tag);
    }

    /** The state the server last reported (no queued writes over it), as the API's JSON, for tests and debugging. */
    serverState(): { lists: Record<string, Wire>; tasks: Record<string, Wire>; tags: Record<string, Wire> } {
        return structuredClone({ lists: this.data.lists, tasks: this.data.tasks, tags: this.data.tags });
    }

    /** The feed token of the server state, `undefined` before the first sync. */
    get token(): string | undefined {
        return this.data.token;
    }

    /** The writes not yet acknowledged, in order. */
    get pending(): BatchCommand[] {
        return this.data.queue.map((queued) => commandOf(queued));
    }

    /** The writes the server refused, oldest first, until {@link retry} or {@link dismiss}. */
    get conflicts(): Conflict[] {
        return this.data.conflicts.map(conflictOf);
    }

    /** The real id of `id` when it is a temp id the server has answered, else `id`. */
    resolve(id: string): string {
        return this.data.tempIds[id] ?? id;
    }

    /** Whether `id` (or the resource it names) has writes waiting to be sent. */
    isPending(id: string): boolean {
        const real = this.resolve(id);
        return this.data.queue.some((queued) => {
            const target = targetOf(queued.command);
            return target !== undefined && this.resolve(target) === real;
        });
    }

    // ---- writes: queued, applied locally at once, sent by push() ----

    /** Queues a new task; returns its temp id, which every read and later write accepts (and maps to the real id). */
    createTask(create: TaskCreate): Promise<string> {
        return this.enqueueCreate('task.create', defined(TaskCreateToJSON(create)));
    }

    updateTask(id: string, patch: TaskPatch): Promise<void> {
        return this.enqueue('task.update', 'task', id, defined(TaskPatchToJSON(patch)));
    }

    completeTask(id: string, completed = true): Promise<void> {
        return this.enqueue('task.complete', 'task', id, { completed });
    }

    moveTask(id: string, move: TaskMove): Promise<void> {
        return this.enqueue('task.move', 'task', id, defined(TaskMoveToJSON(move)));
    }

    /** Deletes a task with its subtasks (they go to the trash on the server). */
    deleteTask(id: string): Promise<void> {
        return this.enqueue('task.delete', 'task', id, undefined);
    }

    createList(create: TodoListCreate): Promise<string> {
        return this.enqueueCreate('list.create', defined(TodoListCreateToJSON(create)));
    }

    updateList(id: string, patch: TodoListPatch): Promise<void> {
        return this.enqueue('list.update', 'list', id, defined(TodoListPatchToJSON(patch)));
    }

    moveList(id: string, move: ListMove): Promise<void> {
        return this.enqueue('list.move', 'list', id, defined(ListMoveToJSON(move)));
    }

    /** Deletes a list; its tasks move to `moveTasksTo` when given, else are deleted with it. */
    deleteList(id: string, moveTasksTo?: string): Promise<void> {
        return this.enqueue('list.delete', 'list', id, moveTasksTo === undefined ? undefined : { move_tasks_to: moveTasksTo });
    }

    createTag(create: TagCreate): Promise<string> {
        return this.enqueueCreate('tag.create', defined(TagCreateToJSON(create)));
    }

    updateTag(id: string, patch: TagPatch): Promise<void> {
        return this.enqueue('tag.update', 'tag', id, defined(TagPatchToJSON(patch)));
    }

    deleteTag(id: string): Promise<void> {
        return this.enqueue('tag.delete', 'tag', id, undefined);
    }

    /** Resolves a conflict for the local side: its writes are queued again, over the server's current version. */
    async retry(conflict: Conflict): Promise<void> {
        const stored = this.takeConflict(conflict.key);
        if (stored.status !== 412 || stored.current === undefined) {
            throw new Error(`Only a 412 conflict can be retried; this one is ${stored.status} ${conflict.code ?? ''}`.trim());
        }
        const [first, ...rest] = stored.commands;
        // Over the newest version the replica knows: the conflict's, or a later one a pull has brought since.
        const latest = this.data[KEYS[stored.type]][stored.resourceId] ?? stored.current;
        const command: Wire = { ...first!.command, id: this.newId() };
        delete command['if_version'];
        const requeued = [
            { ...first!, command, baseVersion: versionOf(latest), base: structuredClone(latest), merges: 0 },
            ...rest.map((queued) => ({ ...queued, command: { ...queued.command, id: this.newId() } })),
        ];
        this.data.queue.push(...requeued);
        await this.changed('local');
    }

    /** Resolves a conflict for the server's side: its writes are dropped. */
    async dismiss(conflict: Conflict): Promise<void> {
        this.takeConflict(conflict.key); // the server state already has the server's side (refuse, then pulls)
        await this.changed('local');
    }

    // ---- network ----

    /**
     * Keeps the replica live: opens the event stream ({@link openEventStream}) and pulls whenever it says something
     * changed (one pull at a time; changes arriving meanwhile make one more). Returns the stream, to close it.
     */
    live(options: Omit<EventStreamOptions, 'from'> = {}): EventStream {
        let pulling = false;
        let again = false;
        const pull = async (): Promise<void> => {
            if (pulling) {
                again = true;
                return;
            }
            pulling = true;
            try {
                do {
                    again = false;
                    await this.pull().catch((error) => options.onDisconnect?.(error));
                } while (again);
            } finally {
                pulling = false;
            }
        };
        return openEventStream(this.client, {
            ...options,
            from: this.data.token,
            onChanges: (changes) => {
                options.onChanges?.(changes);
                void pull();
            },
            onResync: () => {
                options.onResync?.();
                void pull();
            },
        });
    }

    /** Sends the queued writes, then reads the feed: what an app calls when it comes online, and now and then. */
    sync(): Promise<SyncResult> {
        return this.exclusive(async () => {
            const push = await this.pushNow();
            if (push.offline) return { push, offline: true };
            try {
                return { push, pull: await this.pullNow(), offline: false };
            } catch (error) {
                if (isNetworkError(error)) return { push, offline: true };
                throw error;
            }
        });
    }

    /**
     * Reads the feed from the token on (everything, the first time) and applies it. A token past the server's
     * window (410 SYNC_TOKEN_EXPIRED) rebuilds the replica from a full snapshot; the queue is kept. A failure
     * leaves the replica as it was after the last page applied.
     */
    pull(): Promise<PullResult> {
        return this.exclusive(() => this.pullNow());
    }

    /**
     * Sends the queued writes as batches, in order. A batch that gets no response stops the push and stays queued
     * (`offline`); sending it again later is safe. Refused writes become {@link conflicts}.
     */
    push(): Promise<PushResult> {
        return this.exclusive(() => this.pushNow());
    }

    private async pullNow(): Promise<PullResult> {
        try {
            return { changes: await this.readFeed(this.data.token), resynced: false };
        } catch (error) {
            if (!(error instanceof ResponseError) || error.response.status !== 410) throw error;
            this.data.token = undefined;
            this.emit({ kind: 'resync', reason: 'expired' });
            return { changes: await this.readFeed(undefined), resynced: true };
        }
    }

    /** Applies pages from `token` on. A full snapshot is applied to fresh maps and kept only once complete. */
    private async readFeed(token: string | undefined): Promise<number> {
        const full = token === undefined;
        const target = full ? { lists: {}, tasks: {}, tags: {} } as Pick<ReplicaData, 'lists' | 'tasks' | 'tags'> : this.data;
        let count = 0;
        for (;;) {
            const response = await this.client.sync.syncRaw({ token, limit: this.pageSize });
            const page = (await response.raw.json()) as { changes: Wire[]; has_more: boolean; sync_token: string };
            for (const change of page.changes) {
                const type = change['type'] as ResourceType;
                const id = change['id'] as string;
                if (!TYPES.includes(type)) continue; // a type this helper does not know yet
                if (change['op'] === 'delete') {
                    delete target[KEYS[type]][id];
                } else {
                    target[KEYS[type]][id] = change[type] as Wire;
                }
                count++;
            }
            token = page.sync_token;
            if (!full) {
                this.data.token = token;
                if (page.changes.length > 0 || !page.has_more) await this.changed('server');
            }
            if (!page.has_more) break;
        }
        if (full) {
            Object.assign(this.data, target, { token });
            await this.changed('server');
        }
        return count;
    }

    private async pushNow(): Promise<PushResult> {
        let applied = 0;
        const conflicts: Conflict[] = [];
        while (this.data.queue.length > 0) {
            const batch = this.nextBatch();
            let response: { results: Wire[]; temp_ids: Record<string, string> };
            for (const queued of batch) this.inFlight.add(queued.command['id'] as string);
            try {
                const raw = await this.client.sync.runBatchRaw({
                    batchRequest: { commands: batch.map((queued) => commandOf(queued)), syncToken: this.data.token },
                });
                response = (await raw.raw.json()) as typeof response;
            } catch (error) {
                if (isNetworkError(error)) return { applied, conflicts, pending: this.data.queue.length, offline: true };
                throw error;
            } finally {
                this.inFlight.clear();
            }
            const newIds = Object.entries(response.temp_ids).filter(([temp]) => this.data.tempIds[temp] === undefined);
            Object.assign(this.data.tempIds, response.temp_ids);
            const sent = new Set(batch.map((queued) => queued.command['id'] as string));
            this.data.queue = this.data.queue.filter((queued) => !sent.has(queued.command['id'] as string));
            const merged: QueuedCommand[] = [];
            for (const result of response.results) {
                const queued = batch.find((q) => q.command['id'] === result['id'])!;
                const status = result['status'] as number;
                if (status < 300) {
                    applied++;
                    this.acknowledge(queued, result);
                } else if (this.mergeable(queued, result)) {
                    merged.push(this.merge(queued, result));
                } else {
                    conflicts.push(this.refuse(queued, result));
                }
            }
            // Edits merged over the server's version go first: they were queued before everything still waiting.
            this.data.queue.unshift(...merged);
            if (newIds.length > 0) this.emit({ kind: 'ids', tempIds: Object.fromEntries(newIds) });
            await this.changed('server');
            for (const conflict of conflicts) this.emit({ kind: 'conflict', conflict });
        }
        return { applied, conflicts, pending: 0 };
    }

    /**
     * The queue's longest prefix (at most batchSize) in which no existing resource is written twice: the second
     * write of a resource must name the version the first one produced, which only the first one's result tells.
     * Each command's `if_version` is set here: the version its edit was made on, or the one the server last gave.
     */
    private nextBatch(): QueuedCommand[] {
        const batch: QueuedCommand[] = [];
        const touched = new Set<string>();
        const createdHere = new Set<string>();
        for (const queued of this.data.queue) {
            if (batch.length === this.batchSize) break;
            const command = { ...queued.command };
            if (typeof command['temp_id'] === 'string') createdHere.add(command['temp_id']);
            const target = targetOf(command);
            if (target !== undefined && !createdHere.has(target)) {
                const id = this.resolve(target);
                if (touched.has(id)) break;
                touched.add(id);
                const version = queued.baseVersion ?? versionOf(this.data[KEYS[typeOf(command)]][id]);
                if (version !== undefined && typeOf(command) !== 'tag') command['if_version'] = version;
                else delete command['if_version'];
            }
            batch.push({ ...queued, command: this.resolveIds(command) });
        }
        return batch;
    }

    /** A command with every temp id the server has already answered replaced by its id. */
    private resolveIds(command: Wire): Wire {
        const resolved: Wire = { ...command };
        if (typeof resolved['resource_id'] === 'string') resolved['resource_id'] = this.resolve(resolved['resource_id']);
        const args = resolved['args'];
        if (args && typeof args === 'object') {
            const copy: Wire = { ...(args as Wire) };
            for (const field of ['list_id', 'parent_id', 'after_id', 'before_id', 'move_tasks_to']) {
                if (typeof copy[field] === 'string') copy[field] = this.resolve(copy[field] as string);
            }
            resolved['args'] = copy;
        }
        return resolved;
    }

    /** An applied command's result into the server state, so that reads show it before the next pull. */
    private acknowledge(queued: QueuedCommand, result: Wire): void {
        const type = typeOf(queued.command);
        const resource = result[type] as Wire | undefined;
        if (resource !== undefined) {
            const id = resource['id'] as string;
            const known = this.data[KEYS[type]][id];
            if (known === undefined || (versionOf(known) ?? 0) <= (versionOf(resource) ?? 0)) {
                this.data[KEYS[type]][id] = resource;
            }
            // The next write of this resource names the version this one produced.
            this.rebase(id, versionOf(resource));
        } else if (String(queued.command['type']).endsWith('.delete')) {
            const id = this.resolve(targetOf(queued.command)!);
            delete this.data[KEYS[type]][id];
            if (type === 'task') this.dropSubtree(this.data.tasks, id);
        }
    }

    /**
     * Whether a 412 is no conflict at all: the command sets fields (an update, a completion) that the server's
     * version still has as the edit saw them; another device changed other fields only. Three merges at most.
     */
    private mergeable(queued: QueuedCommand, result: Wire): boolean {
        const type = typeOf(queued.command);
        const current = result[type] as Wire | undefined;
        const kind = String(queued.command['type']);
        if (result['status'] !== 412 || current === undefined || queued.base === undefined || (queued.merges ?? 0) >= 3
            || !(kind.endsWith('.update') || kind === 'task.complete')) {
            return false;
        }
        const args = (queued.command['args'] ?? {}) as Wire;
        // A field is no conflict when the other device left it alone, or set it to what this edit sets it to.
        return Object.entries(args).every(([field, value]) =>
            sameValue(field, queued.base![field], current[field]) || sameValue(field, value, current[field]));
    }

    /** The command again (a new id: the server keeps the 412 as the old one's result) over the server's version. */
    private merge(queued: QueuedCommand, result: Wire): QueuedCommand {
        const type = typeOf(queued.command);
        const current = result[type] as Wire;
        this.data[KEYS[type]][current['id'] as string] = current;
        const command: Wire = { ...queued.command, id: this.newId() };
        delete command['if_version'];
        return { ...queued, command, baseVersion: versionOf(current), base: current, merges: (queued.merges ?? 0) + 1 };
    }

    /** A refused command: it and the later queued writes of the same resource become one conflict. */
    private refuse(queued: QueuedCommand, result: Wire): Conflict {
        const type = typeOf(queued.command);
        const target = targetOf(queued.command);
        const resourceId = target === undefined ? String(queued.command['temp_id'] ?? '') : this.resolve(target);
        const sameResource = (q: QueuedCommand) => {
            const t = targetOf(q.command);
            return t !== undefined && this.resolve(t) === resourceId;
        };
        const later = this.data.queue.filter(sameResource);
        this.data.queue = this.data.queue.filter((q) => !sameResource(q));
        const current = result[type] as Wire | undefined;
        const stored: StoredConflict = {
            key: String(queued.command['id']),
            status: result['status'] as number,
            type,
            resourceId,
            commands: [queued, ...later],
            problem: result['problem'] as Wire | undefined,
            current,
        };
        if (current !== undefined) this.data[KEYS[type]][resourceId] = current;
        if (result['status'] === 404) {
            delete this.data[KEYS[type]][resourceId];
        }
        this.data.conflicts.push(stored);
        return conflictOf(stored);
    }

    /** The first queued write of `id` from now on is made on `version`. */
    private rebase(id: string, version: number | undefined): void {
        const next = this.data.queue.find((q) => {
            const t = targetOf(q.command);
            return t !== undefined && this.resolve(t) === id;
        });
        if (next !== undefined) {
            next.baseVersion = version;
            const type = typeOf(next.command);
            next.base = structuredClone(this.data[KEYS[type]][id]);
        }
    }

    private takeConflict(key: string): StoredConflict {
        const index = this.data.conflicts.findIndex((c) => c.key === key);
        if (index < 0) throw new Error(`No open conflict ${key}`);
        return this.data.conflicts.splice(index, 1)[0]!;
    }

    private async enqueueCreate(type: string, args: Wire): Promise<string> {
        const tempId = `tmp-${this.newId()}`;
        this.data.queue.push({ command: { id: this.newId(), type, temp_id: tempId, args: defined(args) }, queuedAt: this.clock() });
        await this.changed('local');
        return tempId;
    }

    private async enqueue(type: string, resource: ResourceType, id: string, args: Wire | undefined): Promise<void> {
        const real = this.resolve(id);
        if (!this.current()[KEYS[resource]].has(real)) {
            throw new RangeError(`No ${resource} ${id} in the replica`);
        }
        // Consecutive edits of one resource (typing, say) are one command, unless the first is on its way.
        const last = this.data.queue[this.data.queue.length - 1];
        if (type.endsWith('.update') && last !== undefined && last.command['type'] === type && args !== undefined
            && last.command['resource_id'] !== undefined && this.resolve(String(last.command['resource_id'])) === real
            && !this.inFlight.has(String(last.command['id']))) {
            last.command['args'] = { ...(last.command['args'] as Wire | undefined), ...args };
            await this.changed('local');
            return;
        }
        const command: Wire = { id: this.newId(), type, resource_id: real };
        if (args !== undefined) command['args'] = args;
        // An edit made on what the server last said carries that version; a later edit of a resource with queued
        // writes gets the version the earlier one produces (see nextBatch and rebase).
        const queuedBefore = this.data.queue.some((q) => {
            const t = targetOf(q.command);
            return (t !== undefined && this.resolve(t) === real) || q.command['temp_id'] === real;
        });
        const known = this.data[KEYS[resource]][real];
        const baseVersion = queuedBefore ? undefined : versionOf(known);
        const base = queuedBefore || known === undefined ? undefined : structuredClone(known);
        this.data.queue.push({ command, baseVersion, base, queuedAt: this.clock() });
        await this.changed('local');
    }

    private async changed(source: 'local' | 'server'): Promise<void> {
        this.view = undefined;
        await this.store.save(this.data);
        this.emit({ kind: 'changed', source });
    }

    private emit(event: ReplicaEvent): void {
        for (const listener of this.listeners) {
            try {
                listener(event);
            } catch (error) {
                queueMicrotask(() => { throw error; }); // a listener's error must not break the replica
            }
        }
    }

    private exclusive<T>(work: () => Promise<T>): Promise<T> {
        const result = this.running.then(work, work);
        this.running = result.catch(() => undefined);
        return result;
    }

    /** The server state with the queued writes applied over it (computed once per change). */
    private current() {
        if (this.view !== undefined) return this.view;
        const view = {
            lists: new Map(Object.entries(structuredClone(this.data.lists))),
            tasks: new Map(Object.entries(structuredClone(this.data.tasks))),
            tags: new Map(Object.entries(structuredClone(this.data.tags))),
        };
        const now = new Date(this.clock()).toISOString();
        for (const queued of this.data.queue) applyLocally(view, queued.command, (id) => this.resolve(id), now);
        this.view = view;
        return view;
    }

    private dropSubtree(tasks: Record<string, Wire>, parentId: string): void {
        for (const [id, task] of Object.entries(tasks)) {
            if (task['parent_id'] === parentId) {
                delete tasks[id];
                this.dropSubtree(tasks, id);
            }
        }
    }
}

type View = { lists: Map<string, Wire>; tasks: Map<string, Wire>; tags: Map<string, Wire> };

/** One queued command applied to the local view, as the server would (counts and positions aside). */
function applyLocally(view: View, command: Wire, resolve: (id: string) => string, now: string): void {
    const type = String(command['type']);
    const args = (command['args'] ?? {}) as Wire;
    const id = typeof command['resource_id'] === 'string' ? resolve(command['resource_id']) : undefined;
    const ref = (value: unknown) => (typeof value === 'string' ? resolve(value) : undefined);
    switch (type) {
        case 'task.create': {
            const defaultList = [...view.lists.values()].find((list) => list['is_default'] === true);
            const parent = ref(args['parent_id']);
            const listId = ref(args['list_id']) ?? (parent && view.tasks.get(parent)?.['list_id']) ?? defaultList?.['id'];
            view.tasks.set(String(command['temp_id']), {
                id: command['temp_id'], user_id: '', list_id: listId, parent_id: parent, position: '\uffff',
                title: args['title'], description: args['description'], completed: false,
                priority: args['priority'] ?? 'medium', due_date: args['due_date'], recurrence_rule: args['recurrence_rule'],
                tags: tagRefs(view, args['tags']), subtask_count: 0, open_subtask_count: 0, version: 0,
                created_at: now, updated_at: now,
            });
            return;
        }
        case 'task.update':
        case 'task.complete': {
            const task = id && view.tasks.get(id);
            if (!task) return;
            for (const [field, value] of Object.entries(args)) {
                if (field === 'tags') task['tags'] = tagRefs(view, value);
                else if (value === null) delete task[field];
                else task[field] = value;
            }
            task['updated_at'] = now;
            return;
        }
        case 'task.move': {
            const task = id && view.tasks.get(id);
            if (!task) return;
            if ('parent_id' in args) {
                const parent = ref(args['parent_id']);
                if (parent === undefined) delete task['parent_id'];
                else {
                    task['parent_id'] = parent;
                    task['list_id'] = view.tasks.get(parent)?.['list_id'] ?? task['list_id'];
                }
            }
            if (typeof args['list_id'] === 'string') task['list_id'] = ref(args['list_id']);
            return;
        }
        case 'task.delete': {
            if (!id) return;
            const doomed = [id];
            for (let i = 0; i < doomed.length; i++) {
                view.tasks.delete(doomed[i]!);
                for (const [child, task] of view.tasks) if (task['parent_id'] === doomed[i]) doomed.push(child);
            }
            return;
        }
        case 'list.create':
            view.lists.set(String(command['temp_id']), {
                id: command['temp_id'], name: args['name'], color: args['color'], position: '\uffff', is_default: false,
                open_task_count: 0, task_count: 0, version: 0, created_at: now, updated_at: now,
            });
            return;
        case 'list.update': {
            const list = id && view.lists.get(id);
            if (!list) return;
            for (const [field, value] of Object.entries(args)) {
                if (value === null) delete list[field];
                else list[field] = value;
            }
            list['updated_at'] = now;
            return;
        }
        case 'list.delete': {
            if (!id) return;
            view.lists.delete(id);
            const target = ref(args['move_tasks_to']);
            for (const [taskId, task] of view.tasks) {
                if (task['list_id'] !== id) continue;
                if (target !== undefined) task['list_id'] = target;
                else view.tasks.delete(taskId);
            }
            return;
        }
        case 'tag.create':
            view.tags.set(String(command['temp_id']), {
                id: command['temp_id'], name: args['name'], color: args['color'], open_task_count: 0,
                created_at: now, updated_at: now,
            });
            return;
        case 'tag.update': {
            const tag = id && view.tags.get(id);
            if (!tag) return;
            for (const [field, value] of Object.entries(args)) {
                if (value === null) delete tag[field];
                else tag[field] = value;
            }
            for (const task of view.tasks.values()) {
                for (const ref of (task['tags'] as Wire[] | undefined) ?? []) {
                    if (ref['id'] === id) Object.assign(ref, { name: tag['name'], color: tag['color'] });
                }
            }
            return;
        }
        case 'tag.delete':
            if (!id) return;
            view.tags.delete(id);
            for (const task of view.tasks.values()) {
                task['tags'] = ((task['tags'] as Wire[] | undefined) ?? []).filter((r) => r['id'] !== id);
            }
            return;
        default:
            return; // list.move only reorders lists: the server's position comes with the next pull
    }
}

/** Tag names (what a task write takes) as the task's tag references, from the tags the replica knows. */
function tagRefs(view: View, names: unknown): Wire[] {
    if (!Array.isArray(names)) return [];
    return names.map((name) => {
        const known = [...view.tags.values()].find((tag) => String(tag['name']).toLowerCase() === String(name).toLowerCase());
        return known ? { id: known['id'], name: known['name'], color: known['color'] } : { id: '', name };
    });
}

/** Whether a field has the same value in two versions of a resource (tags: the same names, in any order). */
function sameValue(field: string, a: unknown, b: unknown): boolean {
    if (field === 'tags') {
        const names = (refs: unknown) => (Array.isArray(refs)
            ? refs.map((r) => String(typeof r === 'string' ? r : (r as Wire)['name']).toLowerCase()).sort() : []);
        return JSON.stringify(names(a)) === JSON.stringify(names(b));
    }
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function byPosition(a: Wire, b: Wire): number {
    const pa = String(a['position'] ?? ''), pb = String(b['position'] ?? '');
    return pa < pb ? -1 : pa > pb ? 1 : String(a['id']) < String(b['id']) ? -1 : 1;
}

function typeOf(command: Wire): ResourceType {
    return String(command['type']).split('.')[0] as ResourceType;
}

function targetOf(command: Wire): string | undefined {
    return typeof command['resource_id'] === 'string' ? command['resource_id'] : undefined;
}

function versionOf(resource: Wire | undefined): number | undefined {
    const version = resource?.['version'];
    return typeof version === 'number' && version >= 1 ? version : undefined;
}

/** The object without its undefined fields (null stays: in a merge patch it clears the field). */
function defined(json: unknown): Wire {
    return Object.fromEntries(Object.entries((json ?? {}) as Wire).filter(([, value]) => value !== undefined));
}

/** The queued command as the generated model (which the generated client turns back into this JSON). */
function commandOf(queued: QueuedCommand): BatchCommand {
    const c = queued.command;
    return {
        id: c['id'] as string,
        type: c['type'] as BatchCommand['type'],
        tempId: c['temp_id'] as string | undefined,
        resourceId: c['resource_id'] as string | undefined,
        ifVersion: c['if_version'] as number | undefined,
        args: c['args'] as { [key: string]: unknown } | undefined,
    };
}

function conflictOf(stored: StoredConflict): Conflict {
    const problem = stored.problem === undefined ? undefined : ProblemFromJSON(stored.problem);
    const current = stored.current === undefined ? undefined
        : stored.type === 'task' ? TaskFromJSON(stored.current)
            : stored.type === 'list' ? TodoListFromJSON(stored.current) : TagFromJSON(stored.current);
    return {
        key: stored.key,
        status: stored.status,
        code: problem?.code,
        type: stored.type,
        resourceId: stored.resourceId,
        commands: stored.commands.map(commandOf),
        problem,
        current,
    };
}
