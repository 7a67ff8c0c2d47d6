using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Dsl;
using Stratus.Server.Files;
using Stratus.Server.Http;
using Stratus.Server.Labels;
using Stratus.Server.Secrets;
using Stratus.Storage;
using Stratus.Workflows.Functions;

namespace Stratus.Server.Deployments;

/// <summary>Creates and deletes deployments; creation plans synchronously and inserts everything at once.</summary>
internal sealed class DeploymentService(IStratusStore store, IDslService dsl, ResourceLayout layout, SecretService secrets, TimeProvider timeProvider)
{
    public const string CreateWorkflow = "create_deployment_environment";

    public async Task<Deployment> CreateAsync(Caller caller, string id, JsonObject body, CancellationToken cancellationToken)
    {
        ResourceIds.Validate("deployment_id", id);
        var blueprintId = Wire.GetString(body, "blueprint_id")
            ?? throw StratusException.BadParameters("Missing blueprint_id in json request body");
        RequireType(body, "inputs", "dict");
        RequireType(body, "runtime_only_evaluation", "bool");
        RequireType(body, "auto_correct_types", "bool");
        var runtimeOnly = body["runtime_only_evaluation"]?.GetValue<bool>() ?? false;
        var requestLabels = body["labels"] is { } rawLabels ? LabelRules.ParseList(rawLabels) : [];
        var autoCorrect = body["auto_correct_types"]?.GetValue<bool>() ?? false;

        var visibility = Wire.GetString(body, "visibility") ?? Visibility.Tenant;
        if (!Visibility.All.Contains(visibility))
        {
            throw StratusException.BadParameters($"Invalid visibility: `{visibility}`. Valid visibility's values are: {Wire.PyList(Visibility.All)}");
        }

        if (await store.GetDeploymentAsync(caller.Tenant, id, cancellationToken) is not null)
        {
            throw ResourceIds.AlreadyExists("Deployment", id, caller.Tenant);
        }

        var blueprint = caller.Visible(await store.GetBlueprintAsync(caller.Tenant, blueprintId, cancellationToken))
            ?? throw ResourceIds.NotFound("Blueprint", blueprintId);
        if (Visibility.All.ToList().IndexOf(visibility) > Visibility.All.ToList().IndexOf(blueprint.Visibility))
        {
            throw StratusException.IllegalAction(
                $"The visibility of deployment `{id}` ({visibility}) cannot be wider than that of its blueprint `{blueprintId}` ({blueprint.Visibility})");
        }

        if (visibility == Visibility.Global && !caller.IsSysAdmin)
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to set or create a global resource");
        }

        if (blueprint.Plan is null)
        {
            throw StratusException.BadParameters($"Blueprint `{blueprintId}` has no plan (state {blueprint.State})");
        }

        var inputs = body["inputs"] as JsonObject;
        // Prepare leaves the blueprint plan unmodified (it works on its own copy), so no copy is made here.
        var options = new PlannerOptions
        {
            AutoCorrectTypes = autoCorrect,
            RuntimeOnlyEvaluation = runtimeOnly,
            ValueLookup = new ManagerInputLookup(store, dsl, caller, blueprintId),
            SecretExists = (key, ct) => secrets.ExistsAsync(caller, key, ct),
        };
        var plan = await dsl.PrepareAsync(blueprint.Plan, (JsonObject?)inputs?.DeepClone(), options, cancellationToken);
        var labels = DeploymentLabels.Merge(requestLabels, plan.Plan["labels"]);
        var now = timeProvider.GetUtcNow();
        var executionId = Guid.NewGuid().ToString();
        var deployment = new Deployment
        {
            Id = id,
            TenantName = caller.Tenant,
            CreatedBy = caller.Username,
            Visibility = visibility,
            CreatedAt = now,
            UpdatedAt = now,
            BlueprintId = blueprintId,
            DisplayName = Wire.GetString(body, "display_name") ?? id,
            Description = Wire.GetString(body, "description") ?? blueprint.Description,
            Inputs = plan.Inputs,
            Outputs = plan.Outputs,
            Capabilities = plan.Capabilities,
            Groups = plan.Groups,
            ScalingGroups = plan.ScalingGroups,
            Policies = plan.Policies,
            Workflows = plan.Workflows,
            InstallationStatus = "inactive",
            // Cloudify's decide_deployment_status: nothing is installed yet, so it "requires attention" (wire 15).
            DeploymentStatus = "requires_attention",
            LatestExecutionId = executionId,
            CreateExecutionId = executionId,
            RuntimeOnlyEvaluation = runtimeOnly,
            Labels = LabelRules.Stamp(labels, now, caller.Username),
        };
        var nodes = DeploymentPlanMapper.Nodes(plan, deployment);
        var instances = DeploymentPlanMapper.Instances(plan, deployment);
        var dependencies = await DeploymentDependencies.FromPlanAsync(store, caller, deployment, plan, cancellationToken);
        await store.InsertDeploymentAsync(deployment, nodes, instances, dependencies, cancellationToken);

        // Checkpoint: the deployment is complete without this row; it records, truthfully, that the environment
        // was created during the request (Cloudify lists it as the deployment's create_execution).
        await store.InsertExecutionAsync(
            new Execution
            {
                Id = executionId,
                TenantName = caller.Tenant,
                CreatedBy = caller.Username,
                Visibility = visibility,
                WorkflowId = CreateWorkflow,
                DeploymentId = id,
                BlueprintId = blueprintId,
                Status = ExecutionStatus.Terminated,
                // As Cloudify records it (wire 20): the inputs and display name the request gave, not the resolved ones.
                Parameters = new JsonObject { ["inputs"] = inputs?.DeepClone() ?? new JsonObject(), ["display_name"] = Wire.GetString(body, "display_name") },
                AllowCustomParameters = true,
                CreatedAt = now,
                StartedAt = now,
                EndedAt = now,
            },
            exclusiveOnDeployment: false,
            CancellationToken.None);

        // Checkpoint: the dependencies are stored; a target named by a function is resolved here when it already can
        // be (Cloudify does it when create_deployment_environment ends) and again after every execution.
        await DependencyTargets.RefreshAsync(store, caller.Tenant, id, CancellationToken.None);
        return deployment;
    }

    /// <summary>
    /// <c>PATCH /deployments/{id}</c> with <c>labels</c>: the deployment's labels become the given set (Cloudify's
    /// labels_to_create / labels_to_delete, the parent graph following <c>csys-obj-parent</c>).
    /// </summary>
    public async Task<Deployment> UpdateAsync(Caller caller, string id, JsonObject body, CancellationToken cancellationToken)
    {
        if (body.Count == 0)
        {
            throw StratusException.IllegalAction("Update a deployment request must include at least one parameter to update");
        }

        var other = body.Select(kv => kv.Key).Where(k => k != "labels").Order(StringComparer.Ordinal).ToList();
        if (other.Count > 0)
        {
            // Cloudify lets its own workflows set the other attributes once; Stratus sets them at creation.
            throw StratusException.BadParameters(
                $"Only `labels` can be updated on a deployment here; not supported: {string.Join(", ", other)}");
        }

        _ = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Deployment", id);
        var labels = LabelRules.ParseList(body["labels"]);
        return await store.ReplaceDeploymentLabelsAsync(
            caller.Tenant, id, LabelRules.Stamp(labels, timeProvider.GetUtcNow(), caller.Username), cancellationToken);
    }

    /// <summary>Cloudify's get_json_and_verify_params type check of an optional body field.</summary>
    private static void RequireType(JsonObject body, string name, string pythonType)
    {
        if (!body.TryGetPropertyValue(name, out var value))
        {
            return;
        }

        var actual = value?.GetValueKind() switch
        {
            null or JsonValueKind.Null => "NoneType",
            JsonValueKind.Object => "dict",
            JsonValueKind.Array => "list",
            JsonValueKind.String => "str",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => value.ToJsonString().Any(c => c is '.' or 'e' or 'E') ? "float" : "int",
        };
        if (actual != pythonType)
        {
            throw StratusException.BadParameters($"{name} parameter is expected to be of type {pythonType} but is of type {actual}");
        }
    }

    public async Task DeleteAsync(Caller caller, string id, bool force, CancellationToken cancellationToken)
    {
        await CheckDeleteAsync(caller, id, force, cancellationToken);

        // The store checks running executions and dependent deployments again under its lock.
        if (!await store.DeleteDeploymentAsync(caller.Tenant, id, force, cancellationToken))
        {
            throw ResourceIds.NotFound("Deployment", id);
        }

        DeleteFiles(caller.Tenant, id);
    }

    /// <summary>A deleted deployment's working folder under the file server (best effort: no row refers to it any more).</summary>
    public void DeleteFiles(string tenantName, string id) => Blueprints.BlueprintUploadService.TryDelete(layout.Deployment(tenantName, id));

    /// <summary>
    /// Cloudify's check_deployment_delete: no running executions and no live nodes (unless forced). Dependent
    /// deployments are checked by the store's delete, in its transaction.
    /// </summary>
    public async Task CheckDeleteAsync(Caller caller, string id, bool force, CancellationToken cancellationToken)
    {
        _ = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Deployment", id);
        var running = await store.ListExecutionsAsync(
            caller.Tenant,
            DeploymentReads.In("deployment_id", [id]) with
            {
                Filters = new Dictionary<string, IReadOnlyList<string>>
                {
                    ["deployment_id"] = [id],
                    ["status"] = [.. ExecutionStatus.ActiveStates, .. ExecutionStatus.WaitingStates],
                },
            },
            cancellationToken);
        if (running.Items.Count > 0)
        {
            throw StratusException.DependentExists(
                $"Can't delete deployment {id} - There are running or queued executions for this deployment. Running executions ids: {string.Join(',', running.Items.Select(e => e.Id))}");
        }

        if (!force)
        {
            var children = await store.ListChildDeploymentsAsync(caller.Tenant, id, cancellationToken);
            if (children.Count > 0)
            {
                // Cloudify names at most three of the dependents that block the delete.
                var lines = children.Take(3).Select((child, i) => $"[{i + 1}] Deployment `{id}` is the parent of deployment {child}");
                throw StratusException.DependentExists(
                    $"Can't delete deployment {id} - the following existing installations depend on it:\n{string.Join('\n', lines)}");
            }

            var instances = await store.ListNodeInstancesAsync(caller.Tenant, DeploymentReads.In("deployment_id", [id]), cancellationToken);
            var live = instances.Items.Where(i => i.State is not (NodeInstanceState.Uninitialized or NodeInstanceState.Deleted)).ToList();
            if (live.Count > 0)
            {
                throw StratusException.DependentExists(
                    $"Can't delete deployment {id} - There are live nodes for this deployment. Live nodes ids: {string.Join(',', live.Select(i => i.Id))}");
            }
        }
    }
}
