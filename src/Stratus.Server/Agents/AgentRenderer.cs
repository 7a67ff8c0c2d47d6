using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Server.Http;

namespace Stratus.Server.Agents;

/// <summary>
/// An agent in Cloudify's shape (<c>AgentResponse</c> plus the model's <c>name</c>, <c>updated_at</c>), with its broker
/// user's name when it has one but never its password (only a PUT with <c>create_rabbitmq_user</c> adds that).
/// </summary>
internal static class AgentRenderer
{
    private static readonly string[] Listable =
    [
        "id", "name", "state", "install_method", "install_methods", "deployment_id", "deployment", "node_id", "node_ids", "node",
        "node_instance_id", "node_instance_ids", "host_id", "ip", "system", "version", "visibility", "created_by", "created_at",
        "last_heartbeat", "tenant_name",
    ];

    public static readonly ResourceFields Fields = new(
        Sortable: Listable,
        Filterable: Listable,
        Includable:
        [
            "created_at", "created_by", "deployment", "host_id", "id", "install_method", "ip", "last_heartbeat", "name", "node",
            "node_instance_id", "rabbitmq_exchange", "rabbitmq_username", "state", "system", "tenant_name", "updated_at", "version", "visibility",
        ]);

    public static JsonObject Render(AgentRecord a)
    {
        var rendered = RenderFields(a);
        if (a.RabbitMqUsername is { } username)
        {
            rendered["rabbitmq_username"] = username;
        }

        return rendered;
    }

    private static JsonObject RenderFields(AgentRecord a) => new()
    {
        ["id"] = a.Name,
        ["name"] = a.Name,
        ["host_id"] = a.NodeInstanceId,
        ["node_instance_id"] = a.NodeInstanceId,
        ["ip"] = a.Ip,
        ["install_method"] = a.InstallMethod,
        ["system"] = a.System,
        ["version"] = a.Version,
        ["node"] = a.NodeId,
        ["deployment"] = a.DeploymentId,
        ["tenant_name"] = a.TenantName,
        ["created_at"] = Wire.Timestamp(a.CreatedAt),
        ["updated_at"] = Wire.Timestamp(a.UpdatedAt),
        ["rabbitmq_exchange"] = a.RabbitMqExchange,
        ["created_by"] = a.CreatedBy,
        ["visibility"] = a.Visibility,
        ["state"] = a.State,
        ["last_heartbeat"] = Wire.Timestamp(a.LastHeartbeat),
    };
}
