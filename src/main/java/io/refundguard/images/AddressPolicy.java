package io.refundguard.images;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which hosts the photo fetcher may connect to. The links come from events anyone with publish
 * rights writes, and the fetcher runs inside the cluster's network, so without this a link could
 * reach the cloud metadata service, the Flink REST API, Kafka or an internal admin page.
 *
 * <p>A host is first checked as text (the operator's {@code allowedHosts}, ambiguous numeric
 * forms), then resolved, and every address it resolves to is checked: one non-public address
 * refuses the host, since the connection could go to any of them. The caller connects to the
 * addresses returned here and to nothing else, so a name cannot resolve to a public address for
 * the check and to a private one for the connection (DNS rebinding).
 */
final class AddressPolicy {
    /** Resolves a host name; the system resolver in production. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> allowedHosts;
    private final boolean allowLoopback;
    private final Resolver resolver;

    AddressPolicy(List<String> allowedHosts, boolean allowLoopback, Resolver resolver) {
        this.allowedHosts = List.copyOf(allowedHosts);
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    AddressPolicy(EnrichmentSettings settings) {
        this(settings.allowedHosts(), settings.allowLoopback(), InetAddress::getAllByName);
    }

    /** Why a host may not be fetched from. The message never depends on whether it answers. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The addresses {@code host} (as {@link java.net.URI#getHost()} gives it, IPv6 literals in
     * brackets) may be connected to.
     *
     * @throws Refused when the host or any address it resolves to is not allowed
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> addressesOf(String host) throws Refused, UnknownHostException {
        String name = normalise(host);
        if (!allowedHosts.isEmpty() && !matchesAllowedHost(name)) {
            throw new Refused("host " + name + " is not in allowedHosts");
        }
        if (endsInANumber(name) && !isCanonicalDottedQuad(name)) {
            // Java reads 0177.0.0.1 as 177.0.0.1, curl and browsers as 127.0.0.1: whatever this
            // resolves to here, the publisher may mean another host. No photo host is named so.
            throw new Refused("host " + name + " is an ambiguous numeric address");
        }
        InetAddress[] resolved = resolver.resolve(name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
        List<InetAddress> addresses = new ArrayList<>(resolved.length);
        for (InetAddress address : resolved) {
            String kind = nonPublicKind(address);
            if (kind != null && !(allowLoopback && kind.equals("loopback"))) {
                throw new Refused("host " + name + " resolves to a " + kind + " address");
            }
            addresses.add(address);
        }
        if (addresses.isEmpty()) {
            throw new UnknownHostException(name);
        }
        return addresses;
    }

    private static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        // "localhost." is "localhost": the trailing dot only says the name is fully qualified.
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** An entry {@code cdn.example} allows that host only, {@code *.cdn.example} its subdomains. */
    private boolean matchesAllowedHost(String name) {
        for (String allowed : allowedHosts) {
            if (allowed.startsWith("*.") ? name.endsWith(allowed.substring(1)) : name.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** The URL standard's test for a host that parsers take as an IPv4 number. */
    private static boolean endsInANumber(String name) {
        if (name.startsWith("[")) {
            return false;
        }
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return last.startsWith("0x") && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static boolean isCanonicalDottedQuad(String name) {
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublicKind(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Kind(b, 0);
        }
        if (!(address instanceof Inet6Address)) {
            return "non-IP";
        }
        int first = b[0] & 0xff;
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded("IPv4-mapped", ipv4Kind(b, 12));
        }
        if (isZero(b, 0, 12)) {
            // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
            if (isZero(b, 12, 15)) {
                if (b[15] == 0) {
                    return "unspecified";
                }
                if (b[15] == 1) {
                    return "loopback";
                }
            }
            return embedded("IPv4-compatible", ipv4Kind(b, 12));
        }
        if (first == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return embedded("NAT64", ipv4Kind(b, 12)); // 64:ff9b::/96
        }
        if (first == 0x20 && b[1] == 0x02) {
            return embedded("6to4", ipv4Kind(b, 2)); // 2002::/16
        }
        if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            return "Teredo"; // 2001::/32 hides its IPv4 server and client
        }
        if ((first & 0xfe) == 0xfc) {
            return "unique-local";
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return "link-local";
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return "site-local";
        }
        if (first == 0xff) {
            return "multicast";
        }
        return null;
    }

    /** An IPv6 form that carries an IPv4 address is as public as that address. */
    private static String embedded(String form, String ipv4Kind) {
        if (ipv4Kind == null) {
            return null;
        }
        // Loopback keeps its name whatever the form, so allowLoopback treats all forms alike.
        return ipv4Kind.equals("loopback") ? "loopback" : form + " " + ipv4Kind;
    }

    private static String ipv4Kind(byte[] b, int at) {
        int a = b[at] & 0xff;
        int c = b[at + 1] & 0xff;
        if (a == 0) {
            return isZero(b, at, at + 4) ? "unspecified" : "this-network";
        }
        if (a == 127) {
            return "loopback";
        }
        if (a == 10 || (a == 172 && (c & 0xf0) == 16) || (a == 192 && c == 168)) {
            return "private";
        }
        if (a == 100 && (c & 0xc0) == 64) {
            return "shared (CGNAT)";
        }
        if (a == 169 && c == 254) {
            return "link-local";
        }
        if (a == 192 && c == 0 && (b[at + 2] & 0xff) == 0) {
            return "IETF protocol";
        }
        if (a == 198 && (c & 0xfe) == 18) {
            return "benchmarking";
        }
        if (a >= 224 && a <= 239) {
            return "multicast";
        }
        if (a >= 240) {
            return "reserved";
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
