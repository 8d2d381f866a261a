package dev.todoapi.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import org.junit.jupiter.api.Test;

/** The contract check is not a rubber stamp: an exchange outside the contract fails the test. */
class ContractValidatorTest extends ApiTestBase {

    @Test
    void aRouteOutsideTheContractFails() {
        assertThatThrownBy(() -> call(get("/no/such/route")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match openapi.yaml");
    }

    @Test
    void anUndocumentedStatusFails() {
        // /health documents 200 and 503 (and a default problem); a request with an unacceptable Accept
        // header yields a 406 whose body is not JSON at all.
        assertThatThrownBy(() -> call(get("/health").accept("text/csv")))
                .isInstanceOf(AssertionError.class);
    }
}
