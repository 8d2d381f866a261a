package dev.todoapi.events;

import dev.todoapi.sync.ChangeLog;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/**
 * Tells every instance's {@link ChangeListener} that a user's change is committing: a NOTIFY in the write's own
 * transaction, which PostgreSQL delivers only if and when it commits. The payload is {@code <user id>:<change number>};
 * listeners read the changes themselves from the feed.
 */
@Component
class ChangeNotifier implements ChangeLog.CommitObserver {

    static final String CHANNEL = "todo_changes";

    private final DSLContext db;

    ChangeNotifier(DSLContext db) {
        this.db = db;
    }

    @Override
    public void beforeCommit(String userId, long seq) {
        db.select(DSL.function("pg_notify", Object.class, DSL.inline(CHANNEL), DSL.val(userId + ":" + seq))).fetch();
    }
}
