using System.Net;
using System.Net.Sockets;

namespace Stratus.Server.Uploads;

/// <summary>
/// Which addresses an upload URL may reach: public unicast ones only, unless the manager allows private ones
/// (<c>--allow-private-upload-urls</c>) or names networks (<c>--upload-url-allow CIDR</c>). Refused by default:
/// loopback, link-local, private and unique-local, carrier-grade NAT, multicast, broadcast, reserved and unspecified.
/// </summary>
internal sealed class UploadUrlPolicy(bool allowPrivate, IReadOnlyList<IPNetwork> allowed)
{
    public static UploadUrlPolicy From(ManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new UploadUrlPolicy(options.AllowPrivateUploadUrls, [.. options.UploadUrlAllowList.Select(IPNetwork.Parse)]);
    }

    /// <summary>Null when <paramref name="address"/> may be reached, else what kind of address it is.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (allowed.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address)))
        {
            return null;
        }

        var kind = Classify(address);
        return kind is null || (allowPrivate && kind != "unspecified") ? null : kind;
    }

    private static string? Classify(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.Equals(IPAddress.IPv6None) ? "unspecified"
                : address.IsIPv6LinkLocal ? "link-local"
                : address.IsIPv6Multicast ? "multicast"
                : address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal ? "private"
                : null;
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 => "unspecified",
            10 => "private",
            100 when b[1] is >= 64 and < 128 => "private",
            169 when b[1] == 254 => "link-local",
            172 when b[1] is >= 16 and < 32 => "private",
            192 when b[1] == 168 => "private",
            >= 224 and < 240 => "multicast",
            >= 240 => "reserved",
            _ => null,
        };
    }
}
