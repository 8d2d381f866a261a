package dev.todoapi.testsupport;

import static org.assertj.core.api.Assertions.fail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.mockmvc.MockMvcRequest;
import com.atlassian.oai.validator.mockmvc.MockMvcResponse;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Checks exchanges against openapi.yaml; a mismatch fails the test with the validator's report. Every exchange that
 * passes is recorded in {@link ContractCoverage}.
 */
public final class ContractValidator {

    private static final OpenApiInteractionValidator VALIDATOR =
            OpenApiInteractionValidator.createForSpecificationUrl("openapi.yaml").build();

    private ContractValidator() {}

    /** The request and the response both match the contract. */
    public static void assertExchangeMatches(MvcResult result) {
        Request request = MockMvcRequest.of(result.getRequest());
        report(VALIDATOR.validate(request, MockMvcResponse.of(result.getResponse())), result);
        ContractCoverage.record(request);
    }

    /** The response matches what the contract promises for this operation (the request was bad on purpose). */
    public static void assertResponseMatches(MvcResult result) {
        Request request = MockMvcRequest.of(result.getRequest());
        report(VALIDATOR.validateResponse(request.getPath(), request.getMethod(), MockMvcResponse.of(result.getResponse())),
                result);
        ContractCoverage.record(request);
    }

    private static void report(ValidationReport report, MvcResult result) {
        if (report.hasErrors()) {
            String body;
            try {
                body = result.getResponse().getContentAsString();
            } catch (Exception e) {
                body = "<unreadable>";
            }
            fail("Exchange does not match openapi.yaml: %s %s -> %d%n%s%nResponse body: %s",
                    result.getRequest().getMethod(), result.getRequest().getRequestURI(),
                    result.getResponse().getStatus(), report, body);
        }
    }
}
