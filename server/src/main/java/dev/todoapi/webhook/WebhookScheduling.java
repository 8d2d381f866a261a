package dev.todoapi.webhook;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The db-scheduler instance that runs {@link WebhookWorker} (the core library: its Spring Boot starter 16.7.1 is
 * built against Spring Boot 3's auto-configuration packages). It polls {@code scheduled_tasks} through a
 * transaction-aware DataSource, so what a completion handler does in a Spring transaction commits with it. Started
 * after the application context is up, stopped before the DataSource closes; TODO_WEBHOOKS_WORKER=false leaves it
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
    SmartLifecycle webhookSchedulerLifecycle(Scheduler scheduler, WebhookProperties properties) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                if (properties.workerEnabled()) {
                    scheduler.start();
                }
                running = true;
            }

            @Override
            public void stop() {
                if (properties.workerEnabled()) {
                    scheduler.stop();
                }
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
