package dev.todoapi.list;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Creates lists through the real {@link Lists} service for tests outside this package, such as the provider
 * states of the Pact verification ({@code dev.todoapi.pact}).
 */
public final class ListFixtures {

    private final Lists lists;

    public ListFixtures(Lists lists) {
        this.lists = lists;
    }

    /** The id of the user's default list (the Inbox), the first in the manual order. */
    public UUID inbox(String userId) {
        return lists.all(userId).stream().filter(list -> list.list().getIsDefault()).findFirst().orElseThrow()
                .list().getId();
    }

    /** Creates a list of the user (it goes last) and returns its id. */
    public UUID create(String userId, String name, @Nullable String color) {
        return lists.create(userId, name, color).list().getId();
    }
}
