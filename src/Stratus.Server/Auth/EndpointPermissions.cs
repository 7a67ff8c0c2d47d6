using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Stratus.Server.Auth;

/// <summary>
/// Every authenticated endpoint's Cloudify permission, by method and route (without the <c>/api/vX</c> prefix). An
/// endpoint missing here is refused to everyone but <c>sys_admin</c> (fail closed); a test lists any such endpoint.
/// </summary>
internal static class EndpointPermissions
{
    private static readonly Dictionary<string, EndpointPermission> Map = new(StringComparer.Ordinal)
    {
        // Manager (the unversioned /api/version answers the same as /api/v3.1/version)
        ["GET /api/version"] = new("version_get"),
        ["GET /version"] = new("version_get"),
        ["GET /status"] = new("status_get"),
        ["GET /config"] = new("manager_config_get"),
        ["GET /provider/context"] = new("provider_context_get"),
        ["GET /managers"] = new("manager_get"),
        ["GET /brokers"] = new("broker_get"),
        ["GET /db-nodes"] = new("db_nodes_get"),
        ["GET /maintenance"] = new("maintenance_mode_get"),

        // Identity
        ["GET /user"] = new("user_get_self"),
        ["GET /tenants"] = new("tenant_list"),
        ["GET /tenants/{name}"] = new("tenant_get", Deferred: true),
        ["POST /tenants/{name}"] = new("tenant_create", SystemWide: true),
        ["DELETE /tenants/{name}"] = new("tenant_delete", SystemWide: true),
        ["PUT /tenants/users"] = new("tenant_add_user", SystemWide: true),
        ["PATCH /tenants/users"] = new("tenant_update_user", SystemWide: true),
        ["DELETE /tenants/users"] = new("tenant_remove_user", SystemWide: true),
        ["PUT /tenants/user-groups"] = new("tenant_add_group", SystemWide: true),
        ["PATCH /tenants/user-groups"] = new("tenant_update_group", SystemWide: true),
        ["DELETE /tenants/user-groups"] = new("tenant_remove_group", SystemWide: true),
        ["GET /users"] = new("user_list", SystemWide: true),
        ["PUT /users"] = new("user_create", SystemWide: true),
        ["GET /users/{username}"] = new("user_get", SystemWide: true),
        ["POST /users/{username}"] = new("user_update", SystemWide: true, Deferred: true),
        ["DELETE /users/{username}"] = new("user_delete", SystemWide: true),
        ["POST /users/active/{username}"] = new("user_set_activated", SystemWide: true),
        ["POST /users/unlock/{username}"] = new("user_unlock", SystemWide: true),
        ["GET /user-groups"] = new("user_group_list", SystemWide: true),
        ["POST /user-groups"] = new("user_group_create", SystemWide: true),
        ["GET /user-groups/{name}"] = new("user_group_get", SystemWide: true),
        ["POST /user-groups/{name}"] = new("user_group_update", SystemWide: true),
        ["DELETE /user-groups/{name}"] = new("user_group_delete", SystemWide: true),
        ["PUT /user-groups/users"] = new("user_group_add_user", SystemWide: true),
        ["DELETE /user-groups/users"] = new("user_group_remove_user", SystemWide: true),
        ["GET /permissions"] = new("administrators", SystemWide: true, Deferred: true),
        ["GET /permissions/{role}"] = new("administrators", SystemWide: true, Deferred: true),
        ["GET /tokens"] = new("token_get"),
        ["POST /tokens"] = new("create_token"),
        ["GET /tokens/{id}"] = new("list_token"),
        ["DELETE /tokens/{id}"] = new("delete_token"),

        // Blueprints
        ["GET /blueprints"] = new("blueprint_list"),
        ["GET /blueprints/{id}"] = new("blueprint_get"),
        ["PUT /blueprints/{id}"] = new("blueprint_upload"),
        ["PATCH /blueprints/{id}"] = new("blueprint_upload"),
        ["PUT /blueprints/{id}/validate"] = new("blueprint_upload"),
        ["DELETE /blueprints/{id}"] = new("blueprint_delete"),
        ["GET /blueprints/{id}/archive"] = new("blueprint_download"),

        // Plugins
        ["GET /plugins"] = new("plugin_list"),
        ["POST /plugins"] = new("plugin_upload"),
        ["GET /plugins/{id}"] = new("plugin_get"),
        ["DELETE /plugins/{id}"] = new("plugin_delete"),
        ["GET /plugins/{id}/archive"] = new("plugin_download"),
        ["GET /plugins/{id}/yaml"] = new("plugin_download"),
        ["PATCH /plugins/{id}/set-visibility"] = new("resource_set_visibility"),

        // Secrets
        ["GET /secrets"] = new("secret_list"),
        ["GET /secrets/{key}"] = new("secret_get"),
        ["PUT /secrets/{key}"] = new("secret_create"),
        ["PATCH /secrets/{key}"] = new("secret_update"),
        ["DELETE /secrets/{key}"] = new("secret_delete"),
        ["PATCH /secrets/{key}/set-visibility"] = new("secret_update"),

        // Deployments, groups, dependencies, labels, functions
        ["GET /deployments"] = new("deployment_list"),
        ["GET /deployments/{id}"] = new("deployment_get"),
        ["PUT /deployments/{id}"] = new("deployment_create"),
        ["PATCH /deployments/{id}"] = new("deployment_update"),
        ["DELETE /deployments/{id}"] = new("deployment_delete"),
        ["GET /deployments/{id}/outputs"] = new("deployment_modification_outputs"),
        ["GET /deployments/{id}/capabilities"] = new("deployment_capabilities"),
        ["GET /deployment-groups"] = new("deployment_group_list"),
        ["GET /deployment-groups/{id}"] = new("deployment_group_get"),
        ["PUT /deployment-groups/{id}"] = new("deployment_group_create"),
        ["PATCH /deployment-groups/{id}"] = new("deployment_group_update"),
        ["DELETE /deployment-groups/{id}"] = new("deployment_group_delete"),
        ["GET /deployments/inter-deployment-dependencies"] = new("inter_deployment_dependency_list"),
        ["PUT /deployments/inter-deployment-dependencies"] = new("inter_deployment_dependency_create"),
        ["POST /deployments/inter-deployment-dependencies"] = new("inter_deployment_dependency_create"),
        ["DELETE /deployments/inter-deployment-dependencies"] = new("inter_deployment_dependency_delete"),
        ["GET /labels/deployments"] = new("labels_list"),
        ["GET /labels/deployments/{key}"] = new("labels_list"),
        ["GET /labels/blueprints"] = new("labels_list"),
        ["GET /labels/blueprints/{key}"] = new("labels_list"),
        ["POST /evaluate/functions"] = new("functions_evaluate"),

        // Runtime
        ["GET /nodes"] = new("node_list"),
        ["GET /node-instances"] = new("node_instance_list"),
        ["GET /node-instances/{id}"] = new("node_instance_get"),
        ["PATCH /node-instances/{id}"] = new("node_instance_update"),
        ["GET /executions"] = new("execution_list"),
        ["POST /executions"] = new("execution_start"),
        ["GET /executions/{id}"] = new("execution_get"),
        ["POST /executions/{id}"] = new("execution_cancel"),
        ["PATCH /executions/{id}"] = new("execution_status_update"),
        ["GET /events"] = new("event_list"),
        ["POST /events"] = new("event_create", AllowIfExecution: true),
        ["GET /operations"] = new("operations"),
        ["GET /operations/{id}"] = new("operations"),
        ["PATCH /operations/{id}"] = new("operations", AllowIfExecution: true),
        ["GET /tasks_graphs"] = new("operations"),

        // Execution schedules (Cloudify authorizes update and delete as execution_schedule_create)
        ["GET /execution-schedules"] = new("execution_schedule_list"),
        ["GET /execution-schedules/{id}"] = new("execution_schedule_get"),
        ["PUT /execution-schedules/{id}"] = new("execution_schedule_create"),
        ["PATCH /execution-schedules/{id}"] = new("execution_schedule_create"),
        ["DELETE /execution-schedules/{id}"] = new("execution_schedule_create"),

        // Deployment modifications
        ["GET /deployment-modifications"] = new("deployment_modification_list"),
        ["GET /deployment-modifications/{id}"] = new("deployment_modification_get"),
        ["POST /deployment-modifications"] = new("deployment_modify"),
        ["POST /deployment-modifications/{id}/finish"] = new("deployment_modification_finish"),
        ["POST /deployment-modifications/{id}/rollback"] = new("deployment_modification_rollback"),

        // Agents (the heartbeat is Stratus's; Cloudify pings agents over AMQP)
        ["GET /agents"] = new("agent_list"),
        ["GET /agents/{name}"] = new("agent_get"),
        ["PUT /agents/{name}"] = new("agent_create"),
        ["PATCH /agents/{name}"] = new("agent_update"),
        ["POST /agents/{name}/heartbeat"] = new("agent_update"),

        // File server
        ["GET /resources/{**path}"] = new("file_server_auth"),
    };

    /// <summary>The permission for an endpoint; null when it is not mapped.</summary>
    public static EndpointPermission? For(string method, RouteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Map.GetValueOrDefault(Key(method, endpoint.RoutePattern.RawText ?? ""));
    }

    public static string Key(string method, string routePattern)
    {
        var route = routePattern.Length > 1 ? routePattern.TrimEnd('/') : routePattern;
        foreach (var prefix in (string[])["/api/v3.1", "/api/v3"])
        {
            if (route.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                route = route[prefix.Length..];
                break;
            }
        }

        return HttpMethods.IsHead(method) ? "GET " + route : method.ToUpperInvariant() + " " + route;
    }
}
