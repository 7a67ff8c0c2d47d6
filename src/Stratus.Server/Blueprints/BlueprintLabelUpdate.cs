using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Server.Labels;
using Stratus.Storage;

namespace Stratus.Server.Blueprints;

/// <summary>
/// <c>PATCH /blueprints/{id}</c> with <c>labels</c> (what <c>cfy blueprints labels add|delete</c> sends): the
/// blueprint's labels become the given set. Cloudify's other attributes are set by its upload workflow; Stratus sets
/// them at upload, so they are refused here.
/// </summary>
internal static class BlueprintLabelUpdate
{
    private static readonly HashSet<string> CloudifyFields =
    [
        "plan", "requirements", "description", "main_file_name", "visibility", "state", "error", "error_traceback",
        "labels", "creator", "created_at", "upload_execution",
    ];

    public static async Task<Blueprint> ApplyAsync(
        Caller caller, string id, JsonObject body, IStratusStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var unknown = body.Select(kv => kv.Key).Where(k => !CloudifyFields.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw StratusException.BadParameters($"Unknown parameters: {string.Join(",", unknown)}");
        }

        var other = body.Select(kv => kv.Key).Where(k => k != "labels").Order(StringComparer.Ordinal).ToList();
        if (other.Count > 0 || body["labels"] is not JsonArray raw)
        {
            throw StratusException.BadParameters(
                other.Count > 0
                    ? $"Only `labels` can be updated on a blueprint here; not supported: {string.Join(", ", other)}"
                    : "labels parameter is expected to be of type list");
        }

        var blueprint = caller.Visible(await store.GetBlueprintAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Blueprint", id);
        if (blueprint.State != "uploaded")
        {
            throw StratusException.Conflict("Blueprint labels can be created only if the blueprint state is uploaded");
        }

        var labels = Parse(raw);
        return await store.ReplaceBlueprintLabelsAsync(
            caller.Tenant, id, LabelRules.Stamp(labels, timeProvider.GetUtcNow(), caller.Username), cancellationToken);
    }

    /// <summary>Both of Cloudify's forms: <c>[{key, value}]</c> (its workflows) and <c>[{key: value}]</c> (the CLI).</summary>
    private static List<(string Key, string Value)> Parse(JsonArray raw)
    {
        if (raw.Count == 0 || !raw.All(l => l is JsonObject o && o.ContainsKey("key") && o.ContainsKey("value")))
        {
            return LabelRules.ParseList(raw);
        }

        var labels = raw.Select(l => l!["key"] is JsonValue key && key.GetValueKind() == JsonValueKind.String
            ? LabelRules.Parse(key.GetValue<string>(), l["value"])
            : throw LabelRules.BadLabelsList()).ToList();
        LabelRules.RequireUnique(labels);
        return labels;
    }
}
