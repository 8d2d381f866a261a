package dev.todoapi.contract;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openapitools.openapidiff.core.model.Changed;
import org.openapitools.openapidiff.core.model.ChangedApiResponse;
import org.openapitools.openapidiff.core.model.ChangedContent;
import org.openapitools.openapidiff.core.model.ChangedHeader;
import org.openapitools.openapidiff.core.model.ChangedHeaders;
import org.openapitools.openapidiff.core.model.ChangedMediaType;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.model.ChangedOperation;
import org.openapitools.openapidiff.core.model.ChangedParameter;
import org.openapitools.openapidiff.core.model.ChangedParameters;
import org.openapitools.openapidiff.core.model.ChangedRequestBody;
import org.openapitools.openapidiff.core.model.ChangedResponse;
import org.openapitools.openapidiff.core.model.ChangedSchema;
import org.openapitools.openapidiff.core.model.Endpoint;

/** The incompatible changes openapi-diff found, one line each, in words a reviewer can act on. */
final class ContractBreaks {

    private final List<String> breaks = new ArrayList<>();

    private ContractBreaks() {}

    static List<String> of(ChangedOpenApi diff) {
        ContractBreaks out = new ContractBreaks();
        for (Endpoint removed : diff.getMissingEndpoints()) {
            out.add(removed.getMethod() + " " + removed.getPathUrl() + id(removed.getOperation()) + ": operation removed");
        }
        for (ChangedOperation operation : diff.getChangedOperations()) {
            if (operation.isIncompatible()) {
                out.operation(operation.getHttpMethod() + " " + operation.getPathUrl() + id(operation.getOldOperation()), operation);
            }
        }
        if (out.breaks.isEmpty() && diff.isIncompatible()) {
            out.add("an incompatible change openapi-diff does not detail (security schemes or extensions)");
        }
        return List.copyOf(out.breaks);
    }

    private void operation(String at, ChangedOperation operation) {
        int before = breaks.size();
        if (incompatible(operation.getOperationId())) {
            add(at + ": operationId changed to " + operation.getNewOperation().getOperationId());
        }
        parameters(at, operation.getParameters());
        ChangedRequestBody body = operation.getRequestBody();
        if (incompatible(body)) {
            if (body.isChangeRequired()) {
                add(at + ": the request body became required");
            }
            content(at + " request body", body.getContent());
        }
        responses(at, operation.getApiResponses());
        if (incompatible(operation.getSecurityRequirements())) {
            add(at + ": security requirements changed");
        }
        if (breaks.size() == before) {
            add(at + ": incompatible change");
        }
    }

    private void parameters(String at, ChangedParameters parameters) {
        if (!incompatible(parameters)) {
            return;
        }
        for (Parameter removed : parameters.getMissing()) {
            add(at + ": " + removed.getIn() + " parameter '" + removed.getName() + "' removed");
        }
        for (Parameter added : parameters.getIncreased()) {
            if (Boolean.TRUE.equals(added.getRequired())) {
                add(at + ": new required " + added.getIn() + " parameter '" + added.getName() + "'");
            }
        }
        for (ChangedParameter changed : parameters.getChanged()) {
            if (!changed.isIncompatible()) {
                continue;
            }
            String parameter = at + " " + changed.getIn() + " parameter '" + changed.getName() + "'";
            if (changed.isChangeRequired()) {
                add(parameter + ": became required");
            }
            if (changed.isChangeStyle() || changed.isChangeExplode() || changed.isChangeAllowEmptyValue()) {
                add(parameter + ": serialization (style, explode or allowEmptyValue) changed");
            }
            schema(parameter, changed.getSchema(), "");
            content(parameter, changed.getContent());
        }
    }

    private void responses(String at, ChangedApiResponse responses) {
        if (!incompatible(responses)) {
            return;
        }
        for (String removed : responses.getMissing().keySet()) {
            add(at + ": response " + removed + " removed");
        }
        for (Map.Entry<String, ChangedResponse> changed : responses.getChanged().entrySet()) {
            String response = at + " response " + changed.getKey();
            ChangedHeaders headers = changed.getValue().getHeaders();
            if (incompatible(headers)) {
                headers.getMissing().keySet().forEach(header -> add(response + ": header " + header + " removed"));
                for (Map.Entry<String, ChangedHeader> header : headers.getChanged().entrySet()) {
                    if (header.getValue().isIncompatible()) {
                        add(response + ": header " + header.getKey() + " changed incompatibly");
                    }
                }
            }
            content(response, changed.getValue().getContent());
        }
    }

    private void content(String at, ChangedContent content) {
        if (!incompatible(content)) {
            return;
        }
        String verb = content.getContext().isRequest() ? "no longer accepted" : "no longer returned";
        content.getMissing().keySet().forEach(type -> add(at + ": " + type + " " + verb));
        for (Map.Entry<String, ChangedMediaType> changed : content.getChanged().entrySet()) {
            schema(at + " (" + changed.getKey() + ")", changed.getValue().getSchema(), "");
        }
    }

    private void schema(String at, ChangedSchema schema, String path) {
        if (!incompatible(schema)) {
            return;
        }
        String where = at + (path.isEmpty() ? "" : " field '" + path + "'");
        boolean request = schema.getContext().isRequest();
        if (schema.isChangedType()) {
            add(where + ": type changed from " + type(schema.getOldSchema()) + " to " + type(schema.getNewSchema()));
        }
        if (!request) {
            schema.getMissingProperties().keySet().forEach(name -> add(at + " field '" + join(path, name) + "': removed"));
        }
        if (incompatible(schema.getRequired())) {
            if (request) {
                schema.getRequired().getIncreased().forEach(name -> add(at + " field '" + join(path, name) + "': became required"));
            } else {
                schema.getRequired().getMissing().forEach(name -> add(at + " field '" + join(path, name) + "': no longer required (may be absent)"));
            }
        }
        if (incompatible(schema.getEnumeration())) {
            List<?> values = request ? schema.getEnumeration().getMissing() : schema.getEnumeration().getIncreased();
            add(where + ": enum values " + (request ? "removed " : "added ") + values);
        }
        constraint(where, "maxLength", schema.getMaxLength());
        constraint(where, "minLength", schema.getMinLength());
        constraint(where, "minimum/maximum", schema.getNumericRange());
        constraint(where, "pattern", schema.getPattern());
        constraint(where, "readOnly", schema.getReadOnly());
        constraint(where, "writeOnly", schema.getWriteOnly());
        constraint(where, "nullable", schema.getNullable());
        constraint(where, "oneOf", schema.getOneOfSchema());
        constraint(where, "maxProperties", schema.getMaxProperties());
        constraint(where, "minProperties", schema.getMinProperties());
        constraint(where, "maxItems", schema.getMaxItems());
        constraint(where, "minItems", schema.getMinItems());
        constraint(where, "uniqueItems", schema.getUniqueItems());
        constraint(where, "multipleOf", schema.getMultipleOf());
        if (schema.isDiscriminatorPropertyChanged()) {
            add(where + ": discriminator changed");
        }
        schema.getChangedProperties().forEach((name, property) -> schema(at, property, join(path, name)));
        schema(at, schema.getItems(), path + "[]");
        schema(at, schema.getAddProp(), join(path, "*"));
    }

    private void constraint(String where, String what, Changed changed) {
        if (incompatible(changed)) {
            add(where + ": " + what + " changed incompatibly");
        }
    }

    private void add(String line) {
        if (!breaks.contains(line)) {
            breaks.add(line);
        }
    }

    private static boolean incompatible(Changed changed) {
        return changed != null && changed.isIncompatible();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String type(Schema<?> schema) {
        if (schema == null) {
            return "nothing";
        }
        String type = schema.getType() != null ? schema.getType()
                : schema.getTypes() != null && !schema.getTypes().isEmpty() ? String.join("|", schema.getTypes()) : "any";
        return schema.getFormat() == null ? type : type + " (" + schema.getFormat() + ")";
    }

    private static String id(Operation operation) {
        return operation == null || operation.getOperationId() == null ? "" : " (" + operation.getOperationId() + ")";
    }
}
