using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Labels;

/// <summary>
/// <c>GET /labels/deployments[/{key}]</c> and <c>GET /labels/blueprints[/{key}]</c>: the label keys in use (or, with
/// <c>_reserved=true</c>, the reserved ones) and the values of one key, in Cloudify's list shape.
/// </summary>
internal static class LabelEndpoints
{
    private static readonly ResourceFields Fields = new(Sortable: [], Filterable: [], Includable: []);

    public static RouteGroupBuilder MapLabels(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/labels");
        group.MapGet("/deployments", (Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken) =>
            KeysAsync(LabeledResource.Deployment, caller, request, store, cancellationToken));
        group.MapGet("/deployments/{key}", (string key, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken) =>
            ValuesAsync(LabeledResource.Deployment, key, caller, request, store, cancellationToken));
        group.MapGet("/blueprints", (Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken) =>
            KeysAsync(LabeledResource.Blueprint, caller, request, store, cancellationToken));
        group.MapGet("/blueprints/{key}", (string key, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken) =>
            ValuesAsync(LabeledResource.Blueprint, key, caller, request, store, cancellationToken));
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> KeysAsync(
        LabeledResource resource, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var query = Parse(request, caller);
        if (Wire.ParseBool("reserved", request.Query["_reserved"].LastOrDefault(), false))
        {
            // Cloudify answers the reserved keys from a constant list, paged as a whole.
            var reserved = new Page<string>(LabelRules.ReservedKeys, LabelRules.ReservedKeys.Count, 0, ListQuery.DefaultSize);
            return TypedResults.Json(Render(reserved, withFiltered: false));
        }

        return TypedResults.Json(Render(await store.ListLabelKeysAsync(caller.Tenant, resource, query, cancellationToken), withFiltered: true));
    }

    private static async Task<JsonHttpResult<JsonObject>> ValuesAsync(
        LabeledResource resource, string key, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        var page = await store.ListLabelValuesAsync(caller.Tenant, resource, key, Parse(request, caller), cancellationToken);
        return TypedResults.Json(Render(page, withFiltered: true));
    }

    private static ListQuery Parse(HttpRequest request, Caller caller)
    {
        var query = ListQueryParser.Parse(request.Query, Fields).Query;
        ListQueryParser.RefuseRanges(query);
        return query with { PrivateVisibleTo = caller.PrivateFilter };
    }

    /// <summary>Cloudify's validate_inputs for the <c>label_key</c> path argument.</summary>
    private static void ValidateKey(string key)
    {
        const string Prefix = "The `label_key` argument";
        if (key.Length > 256)
        {
            throw StratusException.BadParameters($"{Prefix} is too long. Maximum allowed length is 256 characters");
        }

        if (key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')))
        {
            throw StratusException.BadParameters(
                $"{Prefix} contains illegal characters. Only letters, digits and the characters \"-\", \".\" and \"_\" are allowed");
        }

        if (!char.IsAsciiLetter(key[0]))
        {
            throw StratusException.BadParameters($"{Prefix} must begin with a letter");
        }
    }

    private static JsonObject Render(Page<string> page, bool withFiltered)
    {
        var metadata = new JsonObject
        {
            ["pagination"] = new JsonObject { ["total"] = page.Total, ["size"] = page.Size, ["offset"] = page.Offset },
        };
        if (withFiltered)
        {
            metadata["filtered"] = null;
        }

        return new JsonObject { ["items"] = new JsonArray([.. page.Items.Select(i => (JsonNode?)i)]), ["metadata"] = metadata };
    }
}
