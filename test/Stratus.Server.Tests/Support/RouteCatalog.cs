using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Stratus.Server.Auth;

namespace Stratus.Server.Tests.Support;

/// <summary>One (method, route) the server maps, with a concrete path to call it on.</summary>
internal sealed record MappedRoute(string Method, string Pattern, RouteEndpoint Endpoint)
{
    public bool Anonymous => Endpoint.Metadata.GetMetadata<AnonymousEndpointAttribute>() is not null;

    public EndpointPermission? Permission => EndpointPermissions.For(Method, Endpoint);

    /// <summary>The route with every parameter replaced by <paramref name="value"/> (a catch-all by <paramref name="catchAll"/>).</summary>
    public string Path(string value = "x", string catchAll = "blueprints/default_tenant/x/blueprint.yaml") =>
        RouteCatalog.Parameter().Replace(RouteCatalog.CatchAll().Replace(Pattern, catchAll), Uri.EscapeDataString(value));

    public override string ToString() => Method + " " + Pattern;
}

/// <summary>Every route the server maps, read from its endpoint data source (a new route is covered without a list to edit).</summary>
internal static partial class RouteCatalog
{
    public static IReadOnlyList<MappedRoute> All(ManagerFixture manager) =>
        manager.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new MappedRoute(m, e.RoutePattern.RawText ?? "", e)))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex(@"\{\*\*[^}]+\}")]
    internal static partial Regex CatchAll();

    [GeneratedRegex(@"\{[^}]+\}")]
    internal static partial Regex Parameter();
}
