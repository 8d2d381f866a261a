package dev.todoapi.webhook;

import dev.todoapi.api.model.FieldError;
import dev.todoapi.web.ApiException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The SSRF rules of endpoint URLs (docs/webhooks.md): an absolute http(s) URL without user info (http only when
 * allowed), whose host resolves only to public unicast addresses, unless the allow-list names the host or a CIDR
 * that holds the address. Checked when an endpoint is registered or its URL changed, and again at every delivery,
 * where the sender connects only to the addresses checked here ({@link #addresses}), so a name that resolves
 * differently the second time (DNS rebinding) cannot reach an internal address.
 */
@Component
public class UrlGuard {

    /** A refused URL or address, with the stable code of the problem. */
    public static final class Refused extends Exception {
        private final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }

        ApiException problem(String field) {
            return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, code, "The webhook URL is refused: " + getMessage() + ".",
                    List.of(new FieldError(field, code, getMessage())));
        }
    }

    private record Cidr(byte[] network, int bits) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Not public unicast: loopback, private, link-local, CGNAT, documentation, benchmarking, multicast, reserved. */
    private static final List<Cidr> FORBIDDEN = List.of(
            cidr("0.0.0.0/8"), cidr("10.0.0.0/8"), cidr("100.64.0.0/10"), cidr("127.0.0.0/8"), cidr("169.254.0.0/16"),
            cidr("172.16.0.0/12"), cidr("192.0.0.0/24"), cidr("192.0.2.0/24"), cidr("192.88.99.0/24"), cidr("192.168.0.0/16"),
            cidr("198.18.0.0/15"), cidr("198.51.100.0/24"), cidr("203.0.113.0/24"), cidr("224.0.0.0/4"), cidr("240.0.0.0/4"),
            cidr("::/128"), cidr("::1/128"), cidr("100::/64"), cidr("2001::/23"), cidr("2001:db8::/32"), cidr("fc00::/7"),
            cidr("fe80::/10"), cidr("fec0::/10"), cidr("ff00::/8"));

    private final List<Cidr> allowedNetworks = new ArrayList<>();
    private final List<String> allowedHosts = new ArrayList<>();
    private final boolean allowHttp;

    UrlGuard(WebhookProperties properties) {
        this.allowHttp = properties.allowHttp();
        for (String entry : properties.allowedHosts()) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/")) {
                allowedNetworks.add(cidr(e));
            } else {
                allowedHosts.add(e);
            }
        }
    }

    /** The URL as it is stored, or a 422 naming {@code field}. */
    public URI check(String url, String field) {
        try {
            URI uri = parse(url);
            addresses(uri.getHost());
            return uri;
        } catch (Refused refused) {
            throw refused.problem(field);
        }
    }

    /** An absolute http(s) URL with a host and no user info (http only when allowed). */
    URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("WEBHOOK_URL_INVALID", "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("WEBHOOK_URL_INVALID", "must be an https URL");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("WEBHOOK_URL_INVALID", "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("WEBHOOK_URL_INVALID", "must not contain user info");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("WEBHOOK_URL_INVALID", "must not contain a fragment");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw new Refused("WEBHOOK_URL_INSECURE", "must use https (plain http is not allowed on this server)");
        }
        return uri;
    }

    /**
     * The addresses of the host, every one of them allowed; refused when it resolves to none, or to one that is not
     * public (unless the allow-list says otherwise).
     */
    public List<InetAddress> addresses(String host) throws Refused {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new Refused("WEBHOOK_URL_UNRESOLVABLE", "the host " + host + " does not resolve");
        }
        if (resolved.length == 0) {
            throw new Refused("WEBHOOK_URL_UNRESOLVABLE", "the host " + host + " does not resolve");
        }
        boolean hostAllowed = allowedHosts.contains(name);
        for (InetAddress address : resolved) {
            if (!hostAllowed && !allowed(address)) {
                throw new Refused("WEBHOOK_URL_FORBIDDEN", "the host " + host + " resolves to " + address.getHostAddress()
                        + ", which is not a public address");
            }
        }
        return List.of(resolved);
    }

    /** A public unicast address, or one in an allowed network. */
    boolean allowed(InetAddress address) {
        for (Cidr network : allowedNetworks) {
            if (network.contains(address)) {
                return true;
            }
        }
        InetAddress embedded = embeddedIpv4(address);
        if (embedded != null) {
            return allowed(embedded);
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        for (Cidr network : FORBIDDEN) {
            if (network.contains(address)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IPv4 address inside an IPv6 one that reaches it: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
     * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] a = address.getAddress();
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= a[i] == 0;
        }
        byte[] v4 = null;
        if (zeros80 && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0 && !allZero(a, 12, 16)
                && !(a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 1)))) {
            v4 = new byte[] {a[12], a[13], a[14], a[15]};
        } else if (a[0] == 0x00 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b && allZero(a, 4, 12)) {
            v4 = new byte[] {a[12], a[13], a[14], a[15]};
        } else if (a[0] == 0x20 && a[1] == 0x02) {
            v4 = new byte[] {a[2], a[3], a[4], a[5]};
        }
        if (v4 == null) {
            return null;
        }
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Cidr cidr(String text) {
        int slash = text.indexOf('/');
        try {
            byte[] network = InetAddress.getByName(text.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("Not a CIDR: " + text);
            }
            return new Cidr(network, bits);
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException("TODO_WEBHOOKS_ALLOWED_HOSTS: not a CIDR or host name: " + text, e);
        }
    }
}
