package dev.todoapi.events;

import dev.todoapi.database.DatabaseServer;
import dev.todoapi.database.JdbcTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One session per instance that LISTENs on {@link ChangeNotifier#CHANNEL} and hands each notification to the local
 * streams: how a write served by one instance reaches the streams held by another. It needs a session connection of
 * its own (LISTEN through PgBouncer's transaction pooling would register on whichever server connection it got), so
 * it connects by itself, to {@code todo.events.listen-url} or else the API's database. Lost connections are retried
 * with backoff; after each (re)connection every stream catches up from the feed, so nothing missed meanwhile is lost.
 */
@Component
class ChangeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
    /** jOOQ has no LISTEN statement: this one constant is the only SQL text of the package. */
    private static final String LISTEN = "LISTEN " + ChangeNotifier.CHANNEL;

    private final EventStreams streams;
    private final JdbcTarget target;
    private final boolean checkPooler;
    private final java.time.Duration poll;
    private volatile boolean running;
    private volatile boolean connected;
    private volatile Thread thread;
    private volatile Connection connection;

    ChangeListener(EventStreams streams, DatabaseServer database, EventsProperties properties) {
        this.streams = streams;
        JdbcTarget api = database.target();
        JdbcTarget base = properties.listenUrl() == null || properties.listenUrl().isBlank()
                ? api
                : JdbcTarget.parse(properties.listenUrl());
        if (base.user() == null) {
            base = base.withCredentials(api.user(), api.password()); // a URL without credentials: the API's
        }
        this.target = base.withCredentials(properties.listenUser(), properties.listenPassword());
        this.checkPooler = !database.isEmbedded();
        this.poll = properties.poll();
    }

    /** Whether the listening session is up (for tests and the log). */
    boolean connected() {
        return connected;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("change-listener").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        closeQuietly(connection);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        if (checkPooler) {
            try {
                if (dev.todoapi.database.TransactionPooling.transactionPooled(target, Duration.ofSeconds(5))) {
                    log.warn("The change listener connects to {} through a transaction pooler, where LISTEN loses"
                            + " notifications: event streams will see other instances' changes only every {} (TODO_EVENTS_POLL)."
                            + " Point TODO_EVENTS_LISTEN_URL at PostgreSQL itself or a session pool.", target.describe(), poll);
                }
            } catch (SQLException | RuntimeException e) {
                log.debug("Could not check the listener's connection for a pooler: {}", e.toString());
            }
        }
        Duration backoff = Duration.ofMillis(250);
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement statement = c.createStatement()) {
                    statement.execute(LISTEN);
                }
                connected = true;
                backoff = Duration.ofMillis(250);
                log.info("Listening for changes on {}", target.describe());
                streams.catchUpAll(); // whatever was notified while no session listened
                PGConnection pg = c.unwrap(PGConnection.class);
                long checked = System.nanoTime();
                while (running) {
                    if (System.nanoTime() - checked > Duration.ofSeconds(30).toNanos()) {
                        // A session that died without a word (a dropped route) would otherwise listen forever.
                        if (!c.isValid(5)) {
                            throw new SQLException("the listening session no longer answers");
                        }
                        checked = System.nanoTime();
                    }
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        dispatch(notification.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                connected = false;
                log.warn("Change listener lost its session ({}); reconnecting in {} ms", e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
            } finally {
                connected = false;
                connection = null;
            }
        }
    }

    private void dispatch(String payload) {
        int colon = payload.lastIndexOf(':');
        if (colon <= 0) {
            return;
        }
        try {
            streams.changed(payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
        } catch (NumberFormatException ignored) {
            // not one of ours
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (target.user() != null) {
            props.setProperty("user", target.user());
        }
        if (target.password() != null) {
            props.setProperty("password", target.password());
        }
        props.setProperty("ApplicationName", "todo-api-listener");
        props.setProperty("connectTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(target.jdbcUrl(), props);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
