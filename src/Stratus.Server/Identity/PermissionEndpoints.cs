using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Server.Auth;
using Stratus.Server.Http;

namespace Stratus.Server.Identity;

/// <summary><c>/permissions</c>: the permission matrix as <c>{role, permission}</c> items, for administrators only.</summary>
internal static class PermissionEndpoints
{
    public static RouteGroupBuilder MapPermissions(this RouteGroupBuilder api)
    {
        api.MapGet("/permissions", (Caller caller, HttpRequest request) => List(caller, request, role: null));
        api.MapGet("/permissions/{role}", (string role, Caller caller, HttpRequest request) => List(caller, request, role));
        return api;
    }

    private static JsonHttpResult<JsonObject> List(Caller caller, HttpRequest request, string? role)
    {
        // Cloudify's _admin_only: the administrators permission among the caller's system roles, else 401.
        if (!PermissionMatrix.Default.Allows("administrators", caller.Roles.Where(r => Roles.Find(r)?.Type == Roles.SystemRole).Append(caller.SystemRole)))
        {
            throw StratusException.Unauthorized("User unauthorized: Only admin users are permitted to edit permissions");
        }

        if (role is not null && Roles.Find(role) is null)
        {
            throw StratusException.NotFound($"Requested `Role` with ID `{role}` was not found");
        }

        var entries = PermissionMatrix.Default.Entries.Where(e => role is null || e.Role == role).ToList();
        var list = ListQueryParser.Parse(request.Query, new ResourceFields([], [], ["role", "permission"]));
        return TypedResults.Json(ListResponse.Create(
            ListResponse.PageOf(entries, list.Query),
            e => new JsonObject { ["permission"] = e.Permission, ["role"] = e.Role },
            list.Include));
    }
}
