using System.Text.Json.Nodes;
using Stratus.Server.Http;

namespace Stratus.Server.Dependencies;

/// <summary>The fields of one dependency in a PUT or DELETE body, type-checked as Cloudify's _verify_dependency_params.</summary>
internal sealed record DependencyBody(
    string Creator, string Source, string? Target, JsonObject? TargetFunc, JsonObject? ExternalSource, JsonObject? ExternalTarget)
{
    public static DependencyBody Read(JsonObject body) => new(
        BodyParams.RequiredString(body, "dependency_creator"),
        BodyParams.RequiredString(body, "source_deployment"),
        BodyParams.OptionalString(body, "target_deployment"),
        (JsonObject?)Wire.Clone(BodyParams.Optional(body, "target_deployment_func", "dict")),
        (JsonObject?)Wire.Clone(BodyParams.Optional(body, "external_source", "dict")),
        (JsonObject?)Wire.Clone(BodyParams.Optional(body, "external_target", "dict")));
}
