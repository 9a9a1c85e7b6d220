using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sitrep.Ingest.Web;

/// <summary>
/// Name resolution and TCP connection as the fetcher uses them, injectable so tests can stub both (a stub resolver that
/// maps a name to a private address, and a connector that records attempts instead of sending anything).
/// </summary>
public interface INetwork
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
    Task<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken ct);
}

/// <summary>The real thing: the system resolver and a plain TCP socket.</summary>
public sealed class SystemNetwork : INetwork
{
    public static SystemNetwork Instance { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);

    public async Task<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A connection the address policy refused; the message says which address and why ("127.0.0.1 is a loopback address").</summary>
public sealed class AddressRefusedException(string message) : Exception(message);

/// <summary>
/// Which destinations URL ingest may connect to. By default only public unicast addresses: loopback, private (RFC 1918,
/// fc00::/7), link-local, shared CGNAT space, multicast, unspecified, broadcast, reserved and documentation ranges, and
/// cloud metadata endpoints are refused. Addresses are judged after parsing, so every spelling of one (decimal, hex,
/// octal, short forms, IPv4-mapped, -compatible and -translated IPv6, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by
/// the IPv4 address it carries. <see cref="ConnectAsync"/> resolves, checks every address and connects only to an
/// allowed one, so it is the check for every connection (redirects, feed items, DNS rebinding).
/// </summary>
public static class AddressPolicy
{
    private const string Loopback = "a loopback address", Private = "a private address", LinkLocal = "a link-local address",
        Shared = "a shared (CGNAT) address", Multicast = "a multicast address", Reserved = "a reserved address",
        Documentation = "a documentation address", Metadata = "a cloud metadata address";

    private static readonly (uint Prefix, int Bits, string Kind)[] V4Ranges =
    [
        (0x00000000, 8, "a 'this network' address"),
        (0x0A000000, 8, Private),
        (0x64400000, 10, Shared),
        (0x7F000000, 8, Loopback),
        (0xA9FE0000, 16, LinkLocal),
        (0xAC100000, 12, Private),
        (0xC0000000, 24, Reserved),       // IETF protocol assignments (192.0.0.0/24)
        (0xC0000200, 24, Documentation),  // TEST-NET-1
        (0xC0586300, 24, Reserved),       // 6to4 relay anycast (deprecated)
        (0xC0A80000, 16, Private),
        (0xC6120000, 15, Reserved),       // benchmarking (198.18.0.0/15)
        (0xC6336400, 24, Documentation),  // TEST-NET-2
        (0xCB007100, 24, Documentation),  // TEST-NET-3
        (0xE0000000, 4, Multicast),
        (0xF0000000, 4, Reserved),        // 240.0.0.0/4 (and the broadcast address, named first)
    ];

    /// <summary>Host names refused before any lookup (they name the machine itself or a cloud metadata service).</summary>
    public static string? ClassifyName(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (h == "localhost" || h.EndsWith(".localhost", StringComparison.Ordinal)) return "a loopback name";
        if (h is "metadata.google.internal" or "metadata.goog" or "metadata.azure.internal" or "instance-data" or "instance-data.ec2.internal")
            return "a cloud metadata name";
        return null;
    }

    /// <summary>Null for an address URL ingest may connect to; otherwise what it is ("a loopback address").</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return ClassifyV4(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()));
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return "not an IP address";
        var b = address.GetAddressBytes();
        uint Embedded(int at) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at, 4));
        bool ZeroUpTo(int n) => !b.AsSpan(0, n).ContainsAnyExcept((byte)0);

        if (ZeroUpTo(16)) return "the unspecified address";
        if (ZeroUpTo(15) && b[15] == 1) return Loopback;
        if (ZeroUpTo(10) && b[10] == 0xFF && b[11] == 0xFF) return ClassifyV4(Embedded(12));                    // ::ffff:a.b.c.d (mapped)
        if (ZeroUpTo(12)) return ClassifyV4(Embedded(12)) ?? Reserved;                                           // ::a.b.c.d (compatible, deprecated)
        if (ZeroUpTo(8) && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0) return ClassifyV4(Embedded(12)) ?? Reserved; // ::ffff:0:a.b.c.d (SIIT)
        ushort w0 = BinaryPrimitives.ReadUInt16BigEndian(b), w1 = BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(2));
        if (w0 == 0x0064 && w1 == 0xFF9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0) return ClassifyV4(Embedded(12)); // NAT64 64:ff9b::/96
        if (w0 == 0x0064 && w1 == 0xFF9B && BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(4)) == 1) return Private;  // local-use NAT64 64:ff9b:1::/48
        if (w0 == 0x2002) return ClassifyV4(Embedded(2));                                                         // 6to4
        if (w0 == 0xFD00 && w1 == 0x0EC2 && b.AsSpan(4, 10).IndexOfAnyExcept((byte)0) < 0 && b[14] == 0x02 && b[15] == 0x54) return Metadata; // fd00:ec2::254 (AWS)
        if ((w0 & 0xFE00) == 0xFC00) return Private;                                                              // fc00::/7 unique local
        if ((w0 & 0xFFC0) == 0xFE80) return LinkLocal;                                                            // fe80::/10
        if ((w0 & 0xFFC0) == 0xFEC0) return Private;                                                              // fec0::/10 site-local (deprecated)
        if ((w0 & 0xFF00) == 0xFF00) return Multicast;
        if (w0 == 0x2001 && w1 == 0x0DB8) return Documentation;
        if ((w0 & 0xFFF0) == 0x3FF0 && (w1 & 0xF000) == 0) return Documentation;                                  // 3fff::/20
        if (w0 == 0x2001 && w1 < 0x0200) return Reserved;                                                         // 2001::/23 IETF protocol assignments (Teredo, ORCHID …)
        if ((w0 & 0xE000) != 0x2000) return Reserved;                                                             // outside global unicast 2000::/3 (100::/64 discard …)
        return null;
    }

    private static string? ClassifyV4(uint a)
    {
        if (a == 0) return "the unspecified address";
        if (a == 0xFFFFFFFF) return "the broadcast address";
        if (a == 0xA9FEA9FE) return Metadata; // 169.254.169.254
        foreach (var (prefix, bits, kind) in V4Ranges)
            if ((a & (uint.MaxValue << (32 - bits))) == prefix) return kind;
        return null;
    }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>: an IP literal is taken as it is, a name is resolved
    /// through <paramref name="network"/>; unless <paramref name="allowPrivate"/>, every address is checked and only an
    /// allowed one is connected to (each in turn until one answers). When none is allowed it throws
    /// <see cref="AddressRefusedException"/> before any connection is attempted.
    /// </summary>
    public static async Task<Stream> ConnectAsync(string host, int port, bool allowPrivate, INetwork network, CancellationToken ct)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        IPAddress[] addresses;
        bool literal = IPAddress.TryParse(bare, out var ip);
        if (literal) addresses = [ip!];
        else
        {
            if (!allowPrivate && ClassifyName(bare) is { } nameKind) throw new AddressRefusedException($"{bare} is {nameKind}");
            addresses = await network.ResolveAsync(bare, ct).ConfigureAwait(false);
            if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        }
        var allowed = allowPrivate ? addresses : addresses.Where(a => Classify(a) == null).ToArray();
        if (allowed.Length == 0)
        {
            var first = addresses[0];
            var kind = Classify(first);
            throw new AddressRefusedException(literal ? $"{first} is {kind}" : $"{bare} resolves to {first}, {kind}");
        }
        for (int i = 0; ; i++)
        {
            var a = allowed[i].IsIPv4MappedToIPv6 ? allowed[i].MapToIPv4() : allowed[i];
            try { return await network.ConnectAsync(new IPEndPoint(a, port), ct).ConfigureAwait(false); }
            catch (SocketException) when (i < allowed.Length - 1) { }
        }
    }
}
