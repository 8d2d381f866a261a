# syntax=docker/dockerfile:1
# Build: docker build -t todo-api .      Run: see docker-compose.yml and the README's deployment section.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY api api
COPY db db
COPY client-sdk client-sdk
COPY server server
RUN ./mvnw -B -ntp -q -DskipTests -Dtodo.typescript.skip=true install \
 && java -Djarmode=tools -jar server/target/todo-api-server.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin todo \
 && mkdir -p /app/data && chown todo /app/data
WORKDIR /app
# Layers from the least to the most often changed, so rebuilds reuse the dependency layers.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY server/jvm.options /app/jvm.options
USER 10001
ENV PORT=8080 MANAGEMENT_PORT=9090 TODO_DATA_DIR=/app/data
EXPOSE 8080 9090
# Orchestrators probe GET /health/live and /health/ready on PORT (the JRE image has no curl).
# The measured JVM options (server/jvm.options: 256 MiB heap, peak RSS under 512 MiB); give the container 768 MiB.
ENTRYPOINT ["java", "@/app/jvm.options", "org.springframework.boot.loader.launch.JarLauncher"]
