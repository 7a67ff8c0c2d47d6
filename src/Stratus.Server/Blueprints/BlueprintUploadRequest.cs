namespace Stratus.Server.Blueprints;

/// <summary>
/// The upload arguments Stratus honours (the rest of Cloudify's are accepted and ignored). <see cref="Labels"/> are the
/// request's validated labels; when there are none the blueprint gets its plan's <c>blueprint_labels</c>.
/// </summary>
internal sealed record BlueprintUploadRequest(
    string BlueprintId, string ApplicationFileName, string Visibility, bool ValidateOnly, IReadOnlyList<(string Key, string Value)> Labels);
