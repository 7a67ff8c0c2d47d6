using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Stratus.Server.Auth;
using Stratus.Server.Tests.Support;

namespace Stratus.Server.Tests;

public sealed class PermissionMatrixTests
{
    [Fact]
    public async Task EveryEndpoint_HasACloudifyPermission_ThatTheMatrixKnows()
    {
        await using var manager = await ManagerFixture.StartAsync();
        var endpoints = manager.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AnonymousEndpointAttribute>() is null && (e.RoutePattern.RawText ?? "").StartsWith("/api/v3.1", StringComparison.Ordinal)
                || (e.RoutePattern.RawText ?? "").StartsWith("/resources", StringComparison.Ordinal))
            .ToList();
        var known = PermissionMatrix.Default.Entries.Select(e => e.Permission).ToHashSet(StringComparer.Ordinal);

        var unmapped = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e)))
            .Where(x => EndpointPermissions.For(x.m, x.e) is not { } p || !known.Contains(p.Name))
            .Select(x => EndpointPermissions.Key(x.m, x.e.RoutePattern.RawText ?? ""))
            .ToList();

        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} endpoints found");
        Assert.True(unmapped.Count == 0, "endpoints without a known permission: " + string.Join(", ", unmapped));
    }

    [Theory]
    [InlineData("blueprint_upload", "user", true)]
    [InlineData("blueprint_upload", "operations", false)]
    [InlineData("deployment_create", "operations", true)]
    [InlineData("deployment_create", "viewer", false)]
    [InlineData("blueprint_list", "viewer", true)]
    [InlineData("blueprint_list", "default", false)]
    [InlineData("create_token", "default", true)]
    [InlineData("create_token", "operations", false)]
    [InlineData("user_list", "manager", false)]
    [InlineData("user_list", "sys_admin", true)]
    [InlineData("administrators", "manager", true)]
    [InlineData("no_such_permission", "manager", false)]
    [InlineData("no_such_permission", "sys_admin", true)]
    public void Matrix_FollowsCloudifysDefaults(string permission, string role, bool allowed) =>
        Assert.Equal(allowed, PermissionMatrix.Default.Allows(permission, [role]));

    [Fact]
    public void Parse_RejectsAnUnknownRoleAndADuplicatePermission()
    {
        Assert.Throws<InvalidOperationException>(() => PermissionMatrix.Parse("[emperor]\nrule"));
        Assert.Throws<InvalidOperationException>(() => PermissionMatrix.Parse("[viewer]\na a"));
        Assert.Throws<InvalidOperationException>(() => PermissionMatrix.Parse("orphan"));
    }
}
