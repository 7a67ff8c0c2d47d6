namespace Stratus.Server.Blueprints;

/// <summary>The upload arguments Stratus honours (the rest of Cloudify's are accepted and ignored).</summary>
internal sealed record BlueprintUploadRequest(string BlueprintId, string ApplicationFileName, string Visibility, bool ValidateOnly);
