package dev.todoapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TodoApiApplication {

    public static void main(String[] args) {
        // LOG_FORMAT=json: one JSON object per line (Elastic Common Schema), MDC request_id included.
        if ("json".equalsIgnoreCase(System.getenv("LOG_FORMAT")) && System.getProperty("logging.structured.format.console") == null) {
            System.setProperty("logging.structured.format.console", "ecs");
        }
        SpringApplication.run(TodoApiApplication.class, args);
    }
}
