/**
 * The hand-written entry point of the Todo API Java SDK: {@link dev.todoapi.sdk.TodoClient} signs in,
 * keeps and refreshes the tokens, and hands out the API classes generated from {@code openapi.yaml}
 * ({@code dev.todoapi.client.api}, models in {@code dev.todoapi.client.model}); every error response is a
 * {@link dev.todoapi.sdk.TodoApiException}.
 */
package dev.todoapi.sdk;
