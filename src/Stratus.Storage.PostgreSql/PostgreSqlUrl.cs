using System.Globalization;
using Npgsql;

namespace Stratus.Storage.PostgreSql;

/// <summary>
/// Turns a libpq-style URL (<c>postgresql://USER:PASS@HOST:PORT,HOST2:PORT/DB?sslmode=require</c>) into an Npgsql
/// connection string. The parts are percent-decoded; query parameters that libpq and Npgsql share are mapped, any other
/// is refused. Every error names the part at fault and never repeats the password.
/// </summary>
public static class PostgreSqlUrl
{
    private static readonly string[] Schemes = ["postgresql://", "postgres://"];

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    /// <summary>True when <paramref name="text"/> starts with a PostgreSQL URL scheme.</summary>
    public static bool IsUrl(string text) =>
        text is not null && Schemes.Any(s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>The Npgsql connection string for <paramref name="url"/>; <see cref="FormatException"/> naming the bad part.</summary>
    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = Schemes.FirstOrDefault(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            ?? throw Bad($"the scheme must be postgresql:// or postgres://, got '{SchemeOf(url)}'");
        var rest = url[scheme.Length..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var path = slash >= 0 ? rest[(slash + 1)..] : "";
        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo, "user name");
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password", echo: false);
            }
        }

        builder.Host = Hosts(authority, out var port);
        if (port is { } single)
        {
            builder.Port = single;
        }

        var database = Decode(path, "database name");
        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw Bad($"the database name must be one path segment, got '{database}'");
        }

        builder.Database = database.Length > 0 ? database : builder.Username ?? "postgres";
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq >= 0 ? pair[..eq] : pair, "query parameter name");
            var value = eq >= 0 ? Decode(pair[(eq + 1)..], $"value of query parameter '{name}'") : "";
            Apply(builder, name, value);
        }

        return builder.ConnectionString;
    }

    /// <summary>The Host keyword: one or more <c>host[:port]</c>, IPv6 in brackets; a single port goes to Port.</summary>
    private static string Hosts(string authority, out int? port)
    {
        port = null;
        if (authority.Length == 0)
        {
            throw Bad("the host is missing (postgresql://USER:PASS@HOST:PORT/DB)");
        }

        var hosts = new List<string>();
        var ports = new List<int?>();
        foreach (var part in authority.Split(','))
        {
            string host;
            string? portText = null;
            if (part.StartsWith('['))
            {
                var close = part.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw Bad($"the host '{part}' opens '[' without closing it");
                }

                host = part[1..close];
                var after = part[(close + 1)..];
                if (after.Length > 0)
                {
                    portText = after.StartsWith(':') ? after[1..] : throw Bad($"unexpected '{after}' after the host '[{host}]'");
                }
            }
            else
            {
                var colon = part.LastIndexOf(':');
                host = colon >= 0 ? part[..colon] : part;
                portText = colon >= 0 ? part[(colon + 1)..] : null;
            }

            host = Decode(host, "host");
            if (host.Length == 0)
            {
                throw Bad($"a host is empty in '{authority}'");
            }

            int? number = null;
            if (portText is not null)
            {
                number = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535
                    ? p
                    : throw Bad($"the port of host '{host}' must be a number from 1 to 65535, got '{portText}'");
            }

            hosts.Add(host);
            ports.Add(number);
        }

        if (hosts.Count == 1)
        {
            port = ports[0];
            return hosts[0];
        }

        // Npgsql's multi-host form carries each port next to its host.
        return string.Join(',', hosts.Select((h, i) => ports[i] is { } p ? $"{(h.Contains(':', StringComparison.Ordinal) ? $"[{h}]" : h)}:{p}" : h));
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "sslmode":
                builder.SslMode = Enum.Parse<SslMode>(
                    SslModes.GetValueOrDefault(value)
                        ?? throw Bad($"sslmode must be one of {string.Join(", ", SslModes.Keys)}, got '{value}'"));
                break;
            case "connect_timeout":
                builder.Timeout = Seconds(name, value);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "options":
                builder.Options = value;
                break;
            case "target_session_attrs":
                builder["Target Session Attributes"] = value;
                break;
            case "keepalives_idle":
                builder.KeepAlive = Seconds(name, value);
                break;
            case "search_path":
                builder.SearchPath = value;
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "dbname":
                builder.Database = value;
                break;
            case "port":
                builder.Port = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535
                    ? p
                    : throw Bad($"the query parameter port must be a number from 1 to 65535, got '{value}'");
                break;
            default:
                throw Bad(
                    $"the query parameter '{name}' is not supported (use sslmode, connect_timeout, application_name, sslrootcert, "
                    + "sslcert, sslkey, options, target_session_attrs, keepalives_idle, search_path, user, password, dbname, port)");
        }
    }

    private static int Seconds(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 1024
            ? s
            : throw Bad($"the query parameter {name} must be a number of seconds, got '{value}'");

    private static string Decode(string text, string part, bool echo = true)
    {
        try
        {
            if (text.Contains('%', StringComparison.Ordinal))
            {
                for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
                {
                    if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                    {
                        throw Bad(echo
                            ? $"the {part} '{text}' has a '%' that is not followed by two hex digits"
                            : $"the {part} has a '%' that is not followed by two hex digits");
                    }
                }
            }

            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw Bad($"the {part} cannot be percent-decoded");
        }
    }

    private static string SchemeOf(string url)
    {
        // Only the scheme is echoed: the rest of a URL without one may hold a password.
        var end = url.IndexOf("://", StringComparison.Ordinal);
        return end >= 0 && !url[..end].Contains('@', StringComparison.Ordinal) ? url[..end] + "://" : "(none)";
    }

    private static FormatException Bad(string what) => new($"Invalid --db-url: {what}.");
}
