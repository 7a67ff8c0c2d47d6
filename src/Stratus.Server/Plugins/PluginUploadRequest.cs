namespace Stratus.Server.Plugins;

/// <summary>The query arguments of <c>POST /plugins</c>, validated.</summary>
internal sealed record PluginUploadRequest(string Id, string Visibility, string? Title, DateTimeOffset? UploadedAt, string? CreatedBy);
