import {
    AuthApi,
    CompatibilityApi,
    Configuration,
    type ConfigurationParameters,
    MetaApi,
    TagsApi,
    TasksApi,
} from './generated/index.js';

/** One instance of every API of the contract, sharing one configuration. */
export interface TodoClient {
    readonly configuration: Configuration;
    readonly auth: AuthApi;
    readonly tasks: TasksApi;
    readonly tags: TagsApi;
    readonly meta: MetaApi;
    readonly compatibility: CompatibilityApi;
}

/**
 * A client of the API at `basePath` (for example `http://localhost:8080`). Give `accessToken` as a function
 * to send the current token of a session that refreshes it; browsers that want the refresh cookie pass
 * `credentials: 'include'`.
 */
export function createClient(parameters: ConfigurationParameters = {}): TodoClient {
    const configuration = new Configuration(parameters);
    return {
        configuration,
        auth: new AuthApi(configuration),
        tasks: new TasksApi(configuration),
        tags: new TagsApi(configuration),
        meta: new MetaApi(configuration),
        compatibility: new CompatibilityApi(configuration),
    };
}
