package dev.todoapi.webhook;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The db-scheduler instance that runs {@link WebhookWorker} (the core library: its Spring Boot starter 16.7.1 is
 * built against Spring Boot 3's auto-configuration packages). It polls {@code scheduled_tasks} through a
 * transaction-aware DataSource, so what a completion handler does in a Spring transaction commits with it. Started
 * with the application context, stopped before the DataSource closes; TODO_WEBHOOKS_WORKER=false leaves it
 * stopped (an API-only instance).
 */
@Configuration(proxyBeanMethods = false)
class WebhookScheduling {

    @Bean
    Scheduler webhookScheduler(DataSource dataSource, WebhookWorker worker, WebhookProperties properties) {
        return Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), List.of(worker.task()))
                .threads(properties.threads())
                .pollingInterval(properties.pollInterval())
                .heartbeatInterval(Duration.ofSeconds(10))
                .missedHeartbeatsLimit(6)
                .schedulerName(new SchedulerName.Hostname())
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    @Bean
    SchedulerLifecycle webhookSchedulerLifecycle(Scheduler scheduler, WebhookProperties properties) {
        return new SchedulerLifecycle(scheduler, properties.workerEnabled());
    }

    /**
     * Starts the scheduler with the context, pauses it when the context stops (Spring's test framework stops and
     * restarts cached contexts it is not using; a db-scheduler cannot be started twice) and stops it for good when
     * the context closes, before the DataSource (which it depends on) closes.
     */
    static final class SchedulerLifecycle implements SmartLifecycle, DisposableBean {
        private final Scheduler scheduler;
        private final boolean enabled;
        private volatile boolean started;
        private volatile boolean running;

        SchedulerLifecycle(Scheduler scheduler, boolean enabled) {
            this.scheduler = scheduler;
            this.enabled = enabled;
        }

        @Override
        public synchronized void start() {
            if (enabled) {
                if (!started) {
                    scheduler.start();
                    started = true;
                } else {
                    scheduler.resume();
                }
            }
            running = true;
        }

        @Override
        public synchronized void stop() {
            if (started) {
                scheduler.pause();
            }
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public synchronized void destroy() {
            if (started) {
                scheduler.stop();
                started = false;
            }
        }
    }
}
