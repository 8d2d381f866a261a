// Checks of the built package that need no server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as client from '@todo-api/client';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

test('the package version is the Maven project version', () => {
    const pom = readFileSync(new URL('../../pom.xml', import.meta.url), 'utf8');
    const mavenVersion = /<parent>[\s\S]*?<version>([^<]+)<\/version>[\s\S]*?<\/parent>/.exec(pom)?.[1];
    assert.ok(mavenVersion, 'client-sdk/pom.xml names its parent version');
    assert.equal(packageJson.version, mavenVersion, 'run `npm run build` after `./mvnw -pl client-sdk generate-sources` and commit package.json');
});

test('the package exports every API, the models and the helpers', () => {
    for (const name of ['AuthApi', 'TasksApi', 'TagsApi', 'MetaApi', 'CompatibilityApi', 'Configuration', 'ResponseError',
        'TaskFromJSON', 'TaskPatchToJSON', 'Priority', 'createClient', 'problemOf', 'NetworkError', 'isNetworkError']) {
        assert.ok(name in client, `exports ${name}`);
    }
    const api = client.createClient({ basePath: 'http://example.test' });
    assert.equal(api.configuration.basePath, 'http://example.test');
});

test('a merge patch keeps null (clear the field) apart from undefined (leave it)', () => {
    const json = client.TaskPatchToJSON({ description: null, dueDate: null, title: 'New title' });
    assert.deepEqual(JSON.parse(JSON.stringify(json)), { title: 'New title', description: null, due_date: null });
});

test('problemOf reads a problem+json error response and ignores other errors', async () => {
    const body = { type: 'about:blank', title: 'Not Found', status: 404, code: 'TASK_NOT_FOUND', request_id: 'r-1' };
    const response = new Response(JSON.stringify(body), { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    const problem = await client.problemOf(new client.ResponseError(response));
    assert.equal(problem?.code, 'TASK_NOT_FOUND');
    assert.equal(problem?.requestId, 'r-1');
    assert.equal(await client.problemOf(new Error('network down')), undefined);
});
