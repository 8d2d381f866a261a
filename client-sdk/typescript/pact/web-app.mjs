// The API layer of the web frontend ("todo-web"), as a single-page app writes it on top of @todo-api/client:
// it keeps the access token of the session in memory, lets the browser keep the refresh cookie
// (credentials: 'include') and turns error responses into the problem details the UI shows.
// The Pact tests beside it drive exactly this code against Pact's mock server.
import { createClient, problemOf } from '@todo-api/client';

/** An error response of the API, with its problem details (code, status, detail, field errors). */
export class ApiProblem extends Error {
    constructor(problem) {
        super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
        this.problem = problem;
    }
}

export class TodoWebApi {
    #token;

    constructor(baseUrl) {
        this.api = createClient({
            basePath: baseUrl,
            credentials: 'include',
            accessToken: async () => this.#token ?? '',
        });
    }

    /** Resumes a session whose access token the app already holds (from an earlier sign-in). */
    useToken(token) {
        this.#token = token;
    }

    get signedIn() {
        return this.#token !== undefined;
    }

    async signUp(email, password, name) {
        return this.#session(this.api.auth.register({ registerRequest: { email, password, name } }));
    }

    async logIn(email, password) {
        return this.#session(this.api.auth.login({ loginRequest: { email, password } }));
    }

    async currentUser() {
        return this.#call(this.api.auth.getMe());
    }

    /** One page of the task list, as the list view filters and sorts it. */
    async tasks({ status, priority, tag, sort = 'due_date', limit = 20, cursor } = {}) {
        return this.#call(this.api.tasks.listTasks({ status, priority, tag, sort, limit, cursor }));
    }

    /** One page of the tasks of one list (the list's own view), filtered and sorted like {@link tasks}. */
    async tasksOf(listId, { status, priority, tag, sort = 'due_date', limit = 20, cursor } = {}) {
        return this.#call(this.api.tasks.listTasks({ listId, status, priority, tag, sort, limit, cursor }));
    }

    /** Adds a task to the list `listId`, or to the Inbox without one. */
    async addTask({ title, description, priority, dueDate, tags, listId }) {
        return this.#call(this.api.tasks.createTask({ taskCreate: { title, description, priority, dueDate, tags, listId } }));
    }

    /** Adds a subtask under `parentId` (it goes into the parent's list, last under the parent). */
    async addSubtask(parentId, title) {
        return this.#call(this.api.tasks.createTask({ taskCreate: { title, parentId, position: 'bottom' } }));
    }

    /**
     * A task dragged in a list: dropped right after `afterId` or right before `beforeId` (a sibling), first under
     * `parentId` (indented), or first in `listId` (dropped on a list in the sidebar). Its subtasks come along.
     */
    async moveTask(taskId, { afterId, beforeId, parentId, listId } = {}) {
        return this.#call(this.api.tasks.moveTask({ taskId, taskMove: { afterId, beforeId, parentId, listId } }));
    }

    /** The list's screen: its tasks in display order (each followed by its subtasks), with depths for indenting. */
    async listScreen(listId, { status = 'pending', limit = 50, cursor } = {}) {
        return this.#call(this.api.tasks.listTasksInDisplayOrder({ listId, status, limit, cursor }));
    }

    /**
     * Brings the app's replica up to date: pages of the change feed from `token` (none: a full sync) until the last,
     * returning every change in order and the token to keep for next time.
     */
    async syncFrom(token, { limit = 500 } = {}) {
        const changes = [];
        for (;;) {
            const page = await this.#call(this.api.sync.sync({ token, limit }));
            changes.push(...page.changes);
            token = page.syncToken;
            if (!page.hasMore) {
                return { changes, token };
            }
        }
    }

    /**
     * Sends the writes queued while offline, in order, as one batch; `commands` are `{id, type, tempId?, resourceId?,
     * ifVersion?, args}`. Resolves to the per-command results, the temp id map and the feed token to continue from.
     */
    async sendQueued(commands, syncToken) {
        return this.#call(this.api.sync.runBatch({ batchRequest: { syncToken, commands } }));
    }

    /** Saves the edit form: only the changed fields; null clears a field (JSON Merge Patch). */
    async editTask(taskId, changes) {
        return this.#call(this.api.tasks.updateTask({ taskId, taskPatch: changes }));
    }

    async toggleTask(taskId) {
        return this.#call(this.api.tasks.toggleTaskCompletion({ taskId }));
    }

    async removeTask(taskId) {
        return this.#call(this.api.tasks.deleteTask({ taskId }));
    }

    async task(taskId) {
        return this.#call(this.api.tasks.getTask({ taskId }));
    }

    /** The sidebar: every list in its manual order, the Inbox (isDefault) among them, with task counts. */
    async lists() {
        return (await this.#call(this.api.lists.listLists())).items;
    }

    async createList(name, color) {
        return this.#call(this.api.lists.createList({ todoListCreate: { name, color } }));
    }

    /** A list dragged in the sidebar: dropped right after `afterId`, right before `beforeId`, or ({}) first. */
    async moveList(listId, { afterId, beforeId } = {}) {
        return this.#call(this.api.lists.moveList({ listId, listMove: { afterId, beforeId } }));
    }

    async tags() {
        return (await this.#call(this.api.tags.listTags())).items;
    }

    async addTag(name, color) {
        return this.#call(this.api.tags.createTag({ tagCreate: { name, color } }));
    }

    async #session(promise) {
        const session = await this.#call(promise);
        this.#token = session.accessToken;
        return session.user;
    }

    async #call(promise) {
        try {
            return await promise;
        } catch (error) {
            const problem = await problemOf(error);
            if (problem) {
                if (problem.status === 401) {
                    this.#token = undefined; // back to the sign-in page
                }
                throw new ApiProblem(problem);
            }
            throw error;
        }
    }
}
