using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Dependencies;

/// <summary>An inter-deployment dependency in Cloudify 7.1's shape (the model's columns and proxies).</summary>
internal static class DependencyRenderer
{
    private static readonly string[] Listable =
        ["id", "dependency_creator", "source_deployment_id", "target_deployment_id", "created_at", "visibility", "created_by", "tenant_name"];

    public static readonly ResourceFields Fields = new(
        Sortable: Listable,
        Filterable: Listable,
        Includable:
        [
            "created_at", "created_by", "dependency_creator", "external_source", "external_target", "id", "private_resource",
            "resource_availability", "source_deployment_id", "target_deployment_func", "target_deployment_id", "tenant_name", "visibility",
        ]);

    public static JsonObject Render(InterDeploymentDependency d) => new()
    {
        ["created_at"] = Wire.Timestamp(d.CreatedAt),
        ["created_by"] = d.CreatedBy,
        ["dependency_creator"] = d.DependencyCreator,
        ["external_source"] = Wire.Clone(d.ExternalSource),
        ["external_target"] = Wire.Clone(d.ExternalTarget),
        ["id"] = d.Id,
        ["private_resource"] = d.Visibility == Visibility.Private,
        ["resource_availability"] = d.Visibility,
        ["source_deployment_id"] = d.SourceDeploymentId,
        ["target_deployment_func"] = Wire.Clone(d.TargetDeploymentFunc),
        ["target_deployment_id"] = d.TargetDeploymentId,
        ["tenant_name"] = d.TenantName,
        ["visibility"] = d.Visibility,
    };
}
