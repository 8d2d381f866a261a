package dev.todoapi.web;

import tools.jackson.databind.DatabindException;

/** JSON names as the contract spells them (snake_case), for error messages. */
final class JsonNames {

    private JsonNames() {}

    static String snakeCase(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && javaName.charAt(i - 1) != '.' && javaName.charAt(i - 1) != '[') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The JSON path of the value Jackson choked on, like {@code tags[2]} or {@code due_date}. */
    static String path(DatabindException ex) {
        StringBuilder out = new StringBuilder();
        for (var ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
