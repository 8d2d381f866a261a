// Consumer test of a webhook receiver ("todo-webhook-receiver") against the API's deliveries ("todo-api-webhooks"),
// as a Pact message pact: what a receiver relies on in a delivery's body (the thin Standard Webhooks payload: the
// event type, its time, the changed resource's id and the feed position to sync from). The pact lands in
// <repo>/pacts/todo-webhook-receiver-todo-api-webhooks.json; the server's build verifies it against bodies the real
// worker sends (server: dev.todoapi.pact.WebhookMessagePactTest).
import './do-not-track.mjs';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MatchersV3, MessageConsumerPact, synchronousBodyHandler } from '@pact-foundation/pact';

const { like, regex, uuid } = MatchersV3;
/** An RFC 3339 UTC time as Java's Instant writes it: milliseconds only when they are not zero. */
const utc = (example) => regex('\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z', example);

const PACT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'pacts');
rmSync(resolve(PACT_DIR, 'todo-webhook-receiver-todo-api-webhooks.json'), { force: true });

/** The receiver's handling of a delivery's body: what it needs to fetch or sync the change. */
function handle(body) {
    const event = typeof body === 'string' || Buffer.isBuffer(body) ? JSON.parse(body.toString()) : body;
    assert.match(event.type, /^(task|list|tag)\.(upserted|deleted)$/);
    assert.ok(!Number.isNaN(Date.parse(event.timestamp)), 'a timestamp');
    assert.match(event.data.id, /^[0-9a-f-]{36}$/);
    assert.ok(event.data.sync_token.length > 0, 'a feed position to sync from');
    return { resource: event.type.split('.')[0], id: event.data.id, syncFrom: event.data.sync_token };
}

describe('webhook deliveries, from the receiver\'s side', () => {
    it('a task.upserted event names the task and the feed position after the change', async () => {
        const pact = new MessageConsumerPact({
            consumer: 'todo-webhook-receiver', provider: 'todo-api-webhooks', dir: PACT_DIR, logLevel: 'warn',
        });
        await pact
            .given('a user whose endpoint wants task.upserted events, and a task created')
            .expectsToReceive('a task.upserted event')
            .withContent({
                type: 'task.upserted',
                timestamp: utc('2026-12-03T09:00:00.123Z'),
                data: {
                    id: uuid('0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b'),
                    sync_token: like('eyJ2IjoxLCJzIjo0MiwiZiI6NDIsInQiOjE3NjQ3NTI0MDB9'),
                },
            })
            .withMetadata({ contentType: 'application/json' })
            .verify(synchronousBodyHandler(handle));
    });

    it('a task.deleted event names the deleted task', async () => {
        const pact = new MessageConsumerPact({
            consumer: 'todo-webhook-receiver', provider: 'todo-api-webhooks', dir: PACT_DIR, logLevel: 'warn',
        });
        await pact
            .given('a user whose endpoint wants task.deleted events, and a task deleted')
            .expectsToReceive('a task.deleted event')
            .withContent({
                type: regex('task\\.deleted', 'task.deleted'),
                timestamp: utc('2026-12-03T09:00:00.123Z'),
                data: {
                    id: uuid('0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b'),
                    sync_token: like('eyJ2IjoxLCJzIjo0MiwiZiI6NDIsInQiOjE3NjQ3NTI0MDB9'),
                },
            })
            .withMetadata({ contentType: 'application/json' })
            .verify(synchronousBodyHandler(handle));
    });
});
