import { type Problem, ProblemFromJSON, ResponseError } from './generated/index.js';

/**
 * The RFC 9457 problem details of a failed call (its `status`, stable `code`, `detail`, field `errors`), or
 * `undefined` when `error` is not an error response of the API (a network failure, say). Reads a clone of
 * the response, so the body stays readable.
 */
export async function problemOf(error: unknown): Promise<Problem | undefined> {
    if (!(error instanceof ResponseError)) {
        return undefined;
    }
    const contentType = error.response.headers.get('content-type') ?? '';
    if (!/[/+]json\b/i.test(contentType)) {
        return undefined;
    }
    try {
        return ProblemFromJSON(await error.response.clone().json());
    } catch {
        return undefined;
    }
}
