package dev.todoapi.security;

import dev.todoapi.auth.AuthProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * The client's IP address: the direct peer, unless that peer is a trusted proxy (TRUSTED_PROXIES), in
 * which case the nearest address in X-Forwarded-For that is not itself a trusted proxy. A client can
 * therefore not pick its own rate-limit bucket by sending X-Forwarded-For.
 */
@Component
public class ClientIp {

    private final List<IpAddressMatcher> trustedProxies;

    public ClientIp(AuthProperties properties) {
        this.trustedProxies = properties.trustedProxies().stream()
                .map(String::strip)
                .filter(cidr -> !cidr.isEmpty())
                .map(IpAddressMatcher::new)
                .toList();
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!isTrusted(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        for (IpAddressMatcher proxy : trustedProxies) {
            try {
                if (proxy.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException notAnAddress) {
                return false;
            }
        }
        return false;
    }
}
