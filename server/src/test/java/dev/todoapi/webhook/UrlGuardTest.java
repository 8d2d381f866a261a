package dev.todoapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlGuardTest {

    private static WebhookProperties properties(boolean allowHttp, List<String> allowed) {
        return new WebhookProperties(allowHttp, allowed, Duration.ofSeconds(5), 4096, Duration.ofSeconds(5), Duration.ofHours(1),
                Duration.ofHours(25), Duration.ofDays(5), Duration.ofHours(24), Duration.ofSeconds(1), 4, true);
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() {
        UrlGuard strict = new UrlGuard(properties(false, List.of()));
        assertThatThrownBy(() -> strict.parse("http://hooks.example.com/x"))
                .isInstanceOfSatisfying(UrlGuard.Refused.class, e -> assertThat(e.code()).isEqualTo("WEBHOOK_URL_INSECURE"));
        assertThatThrownBy(() -> strict.parse("HTTP://hooks.example.com/x"))
                .isInstanceOfSatisfying(UrlGuard.Refused.class, e -> assertThat(e.code()).isEqualTo("WEBHOOK_URL_INSECURE"));
    }

    @Test
    void theAllowListOpensNetworksAndNames() throws Exception {
        UrlGuard guard = new UrlGuard(properties(true, List.of("127.0.0.2/32", "fd12::/16", "localhost")));
        assertThat(guard.allowed(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(guard.allowed(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(guard.allowed(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(guard.allowed(InetAddress.getByName("fd13::1"))).isFalse();
        assertThat(guard.addresses("localhost")).isNotEmpty();
        assertThat(guard.allowed(InetAddress.getByName("93.184.215.14"))).isTrue();
        assertThat(guard.allowed(InetAddress.getByName("2606:4700::1111"))).isTrue();
    }

    @Test
    void embeddedIpv4AddressesAreJudgedByTheirIpv4Address() throws Exception {
        UrlGuard guard = new UrlGuard(properties(true, List.of()));
        for (String hostile : List.of("::7f00:1", "64:ff9b::a00:1", "2002:a9fe:a9fe::1", "::ffff:a00:1")) {
            assertThat(guard.allowed(InetAddress.getByName(hostile))).as(hostile).isFalse();
        }
        assertThat(guard.allowed(InetAddress.getByName("64:ff9b::5db8:d70e"))).isTrue();
    }
}
