// The live event stream (GET /api/v1/events) for browsers: an EventSource opened with a one-time ticket (EventSource
// cannot send an Authorization header), opened again with a new ticket whenever it drops, resuming after the last
// event it got. docs/events.md has the server's side.
import { type StreamChanges, StreamChangesFromJSON } from './generated/index.js';
import type { TodoClient } from './client.js';

/** The part of the DOM's EventSource this helper uses (a polyfill or Node's will do). */
export interface EventSourceLike {
    readonly readyState: number;
    addEventListener(type: string, listener: (event: MessageEvent) => void): void;
    onopen: ((event: Event) => void) | null;
    onerror: ((event: Event) => void) | null;
    close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

/** The settings of {@link openEventStream}. */
export interface EventStreamOptions {
    /** Resume after this feed position (an event's id, or a sync token); default: from now. */
    from?: string;
    /** Each `changes` event: what changed (ids), and the feed position after it. */
    onChanges?: (changes: StreamChanges) => void;
    /** The position was older than the server's window: sync from scratch. The stream goes on from now. */
    onResync?: () => void;
    /** The stream dropped (it is opened again after `retryMs`); the error, when there is one. */
    onDisconnect?: (error?: unknown) => void;
    /** Milliseconds before opening a dropped stream again (default 2,000). */
    retryMs?: number;
    /** How to make an EventSource; default `new EventSource(url)`. */
    eventSource?: EventSourceFactory;
}

/** An open (or reopening) event stream. */
export interface EventStream {
    /** The id of the last event received: where a new stream resumes. */
    readonly lastEventId: string | undefined;
    /** Whether the stream is open now. */
    readonly connected: boolean;
    /** Stops for good. */
    close(): void;
}

/**
 * Opens the signed-in user's event stream: gets a ticket with the client's session, opens an EventSource with it,
 * and whenever the stream drops (a network failure, the server's stream timeout, a restart) gets a new ticket and opens
 * it again after `retryMs`, resuming after the last event received, so no change is missed.
 */
export function openEventStream(client: TodoClient, options: EventStreamOptions = {}): EventStream {
    const retryMs = options.retryMs ?? 2000;
    const make: EventSourceFactory = options.eventSource ?? ((url) => {
        const Source = (globalThis as { EventSource?: new (url: string) => EventSourceLike }).EventSource;
        if (!Source) throw new Error('No EventSource here: pass options.eventSource');
        return new Source(url);
    });
    let lastEventId = options.from;
    let source: EventSourceLike | undefined;
    let connected = false;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const reopen = (error?: unknown) => {
        connected = false;
        source?.close();
        source = undefined;
        if (closed) return;
        options.onDisconnect?.(error);
        retry = setTimeout(() => void open(), retryMs);
    };

    const open = async () => {
        if (closed) return;
        let ticket: string;
        try {
            ticket = (await client.auth.createStreamTicket()).ticket;
        } catch (error) {
            reopen(error);
            return;
        }
        if (closed) return;
        const query = new URLSearchParams({ ticket });
        if (lastEventId) query.set('token', lastEventId);
        const es = make(`${client.configuration.basePath}/api/v1/events?${query}`);
        source = es;
        es.onopen = () => {
            connected = true;
        };
        // A ticket opens one connection: EventSource's own reconnection would present it again, so this reopens instead.
        es.onerror = () => reopen();
        es.addEventListener('changes', (event) => {
            if (event.lastEventId) lastEventId = event.lastEventId;
            options.onChanges?.(StreamChangesFromJSON(JSON.parse(String(event.data))));
        });
        es.addEventListener('resync', () => {
            lastEventId = undefined;
            options.onResync?.();
            reopen();
        });
    };

    void open();
    return {
        get lastEventId() {
            return lastEventId;
        },
        get connected() {
            return connected;
        },
        close() {
            closed = true;
            if (retry !== undefined) clearTimeout(retry);
            connected = false;
            source?.close();
            source = undefined;
        },
    };
}
