using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Agents;

/// <summary>
/// <c>/agents</c> (Cloudify's v3.1 agents API): list, get, create (PUT, an existing name answers with the stored row),
/// update (PATCH state/system/version), and Stratus's <c>POST /agents/{name}/heartbeat</c>. An agent's deployment
/// comes from the node instance it serves, never from the body; an execution's token reaches only its own deployment.
/// With <c>create_rabbitmq_user</c> the PUT also makes the agent's own broker user (<see cref="AgentBrokerUsers"/>) and
/// answers its password to the agent's creator or a sys_admin only; no other response carries it. Marking an agent
/// <c>deleted</c> deletes its broker user.
/// </summary>
internal static class AgentEndpoints
{
    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents");
        group.MapGet("", ListAsync);
        group.MapGet("/{name}", GetAsync);
        group.MapPut("/{name}", PutAsync);
        group.MapPatch("/{name}", PatchAsync);
        group.MapPost("/{name}/heartbeat", HeartbeatAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, AgentRenderer.Fields);
        var page = await store.ListAgentsAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "agent_list", store, cancellationToken), cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, AgentRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string name, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        ResourceIds.Validate("name", name);
        var include = ListQueryParser.ParseInclude(request.Query["_include"], AgentRenderer.Fields);
        var agent = await FindAsync(caller, name, store, cancellationToken);
        return TypedResults.Json(ListResponse.Project(AgentRenderer.Render(agent), include));
    }

    private static async Task<JsonHttpResult<JsonObject>> PutAsync(
        string name,
        Caller caller,
        HttpRequest request,
        IStratusStore store,
        ManagerOptions options,
        AgentBrokerUsers brokerUsers,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ResourceIds.Validate("name", name);
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var state = Wire.GetString(body, "state") ?? AgentState.Creating;
        ValidateState(state);
        var nodeInstanceId = Wire.GetString(body, "node_instance_id");
        var createToken = Wire.ParseBool("create_rest_token", body["create_rest_token"], false);
        if (nodeInstanceId is not null)
        {
            var instance = caller.Visible(await store.GetNodeInstanceAsync(caller.Tenant, nodeInstanceId, cancellationToken))
                ?? throw ResourceIds.NotFound("NodeInstance", nodeInstanceId);
            ExecutionScope.RequireDeployment(caller, instance.DeploymentId, $"agent `{name}` of node instance `{nodeInstanceId}`");
            if (createToken)
            {
                AgentTokens.RequireIssuer(caller, name, instance.DeploymentId);
            }
        }
        else if (createToken)
        {
            throw StratusException.BadParameters($"create_rest_token needs node_instance_id: agent `{name}` gets a token only for the host it serves");
        }

        var createBrokerUser = Wire.ParseBool("create_rabbitmq_user", body["create_rabbitmq_user"], false);
        var visibility = Wire.GetString(body, "visibility") ?? Visibility.Tenant;
        if (visibility is not (Visibility.Private or Visibility.Tenant))
        {
            throw StratusException.BadParameters($"Invalid visibility: `{visibility}`. Valid values are: ['private', 'tenant']");
        }

        var now = time.GetUtcNow();
        var agent = await store.PutAgentAsync(
            new AgentRecord
            {
                Name = name,
                TenantName = caller.Tenant,
                CreatedBy = caller.Username,
                Visibility = visibility,
                NodeInstanceId = nodeInstanceId,
                Ip = Wire.GetString(body, "ip"),
                InstallMethod = Wire.GetString(body, "install_method") ?? "provided",
                System = Wire.GetString(body, "system"),
                Version = Wire.GetString(body, "version") ?? "",
                State = state,
                RabbitMqExchange = Wire.GetString(body, "rabbitmq_exchange") ?? name,
                CreatedAt = now,
                UpdatedAt = now,
            },
            cancellationToken);
        var rendered = AgentRenderer.Render(agent);
        if (createBrokerUser)
        {
            var (withUser, password) = await brokerUsers.EnsureAsync(agent, cancellationToken);
            rendered = AgentRenderer.Render(withUser);
            if (caller.IsSysAdmin || withUser.CreatedBy == caller.Username)
            {
                rendered["rabbitmq_password"] = password;
            }
        }

        if (createToken)
        {
            if (agent.NodeInstanceId != nodeInstanceId)
            {
                throw StratusException.Conflict($"Agent `{name}` serves node instance `{agent.NodeInstanceId}`, not `{nodeInstanceId}`");
            }

            var token = AgentTokens.Generate();
            // checkpoint: only the hash is stored; a crash before the answer leaves a token nobody holds, replaced by the retry.
            if (!await store.SetAgentTokenAsync(caller.Tenant, name, AgentTokens.Hash(token), now, cancellationToken))
            {
                throw StratusException.Conflict($"Agent `{name}` is deleted; put it again with a live state before asking for a token");
            }

            rendered["rest_token"] = token;
        }

        return TypedResults.Json(rendered);
    }

    private static async Task<JsonHttpResult<JsonObject>> PatchAsync(
        string name,
        Caller caller,
        HttpRequest request,
        IStratusStore store,
        ManagerOptions options,
        AgentBrokerUsers brokerUsers,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ResourceIds.Validate("name", name);
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var update = new AgentUpdate
        {
            State = Wire.GetString(body, "state"),
            System = Wire.GetString(body, "system"),
            Version = Wire.GetString(body, "version"),
            Ip = Wire.GetString(body, "ip"),
        };
        if (update.State is { } state)
        {
            ValidateState(state);
        }

        var agent = await FindAsync(caller, name, store, cancellationToken);
        RequireOwnDeployment(caller, agent);
        var updated = await store.UpdateAgentAsync(caller.Tenant, name, update, null, time.GetUtcNow(), cancellationToken)
            ?? throw ResourceIds.NotFound("Agent", name);
        if (updated.State == AgentState.Deleted)
        {
            await brokerUsers.DeleteAsync(updated, cancellationToken);
        }

        return TypedResults.Json(AgentRenderer.Render(updated));
    }

    private static async Task<JsonHttpResult<JsonObject>> HeartbeatAsync(
        string name, Caller caller, IStratusStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ResourceIds.Validate("name", name);
        var agent = await FindAsync(caller, name, store, cancellationToken);
        RequireOwnDeployment(caller, agent);
        var updated = await store.RecordAgentHeartbeatAsync(caller.Tenant, name, time.GetUtcNow(), cancellationToken)
            ?? throw ResourceIds.NotFound("Agent", name);
        return TypedResults.Json(AgentRenderer.Render(updated));
    }

    private static async Task<AgentRecord> FindAsync(Caller caller, string name, IStratusStore store, CancellationToken cancellationToken)
    {
        var agent = await store.GetAgentAsync(caller.Tenant, name, cancellationToken);
        return agent is not null && caller.CanSee(agent.Visibility, agent.CreatedBy) ? agent : throw ResourceIds.NotFound("Agent", name);
    }

    private static void RequireOwnDeployment(Caller caller, AgentRecord agent)
    {
        if (agent.DeploymentId is { } deploymentId)
        {
            ExecutionScope.RequireDeployment(caller, deploymentId, $"agent `{agent.Name}`");
        }
    }

    private static void ValidateState(string state)
    {
        if (!AgentState.All.Contains(state))
        {
            throw StratusException.BadParameters($"Invalid agent state: `{state}`.");
        }
    }
}
