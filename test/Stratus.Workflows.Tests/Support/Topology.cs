using System.Text.Json.Nodes;
using Stratus.Core.Model;

namespace Stratus.Workflows.Tests.Support;

/// <summary>
/// A small deployment built by hand: <c>app</c> contained in <c>host</c> and connected to <c>db</c>. Every real
/// operation is a script; the other lifecycle operations are no-ops (operation <c>""</c>) as the plan makes them.
/// </summary>
internal static class Topology
{
    public const string Tenant = "default_tenant";
    public const string DeploymentId = "dep";
    public const string BlueprintId = "bp";

    public static readonly string[] AllLifecycle =
    [
        "cloudify.interfaces.validation.create", "cloudify.interfaces.validation.delete",
        "cloudify.interfaces.lifecycle.precreate", "cloudify.interfaces.lifecycle.create",
        "cloudify.interfaces.lifecycle.configure", "cloudify.interfaces.lifecycle.start",
        "cloudify.interfaces.lifecycle.poststart", "cloudify.interfaces.lifecycle.prestop",
        "cloudify.interfaces.lifecycle.stop", "cloudify.interfaces.lifecycle.delete",
        "cloudify.interfaces.lifecycle.postdelete", "cloudify.interfaces.monitoring.start",
        "cloudify.interfaces.monitoring.stop",
    ];

    public static JsonObject Script(string path, int? maxRetries = null, double? retryInterval = null, JsonObject? inputs = null)
    {
        var allInputs = inputs ?? [];
        allInputs["script_path"] = path;
        return new JsonObject
        {
            ["plugin"] = "script",
            ["operation"] = "script_runner.tasks.run",
            ["executor"] = "auto",
            ["inputs"] = allInputs,
            ["has_intrinsic_functions"] = false,
            ["max_retries"] = maxRetries,
            ["retry_interval"] = retryInterval,
            ["timeout"] = null,
            ["timeout_recoverable"] = null,
        };
    }

    public static JsonObject NoOp() => new()
    {
        ["plugin"] = "",
        ["operation"] = "",
        ["executor"] = null,
        ["inputs"] = new JsonObject(),
        ["has_intrinsic_functions"] = false,
        ["max_retries"] = null,
        ["retry_interval"] = null,
    };

    /// <summary>Operations of a node: every lifecycle operation a no-op unless given.</summary>
    public static JsonObject Operations(params (string Name, JsonObject Op)[] real)
    {
        var ops = new JsonObject();
        foreach (var name in AllLifecycle)
        {
            ops[name] = NoOp();
        }

        foreach (var (name, op) in real)
        {
            ops[name] = op;
        }

        return ops;
    }

    public static Node Node(string id, JsonObject operations, JsonArray? relationships = null, string? hostId = null) => new()
    {
        Id = id,
        DeploymentId = DeploymentId,
        BlueprintId = BlueprintId,
        TenantName = Tenant,
        CreatedBy = "admin",
        Type = "cloudify.nodes.Root",
        TypeHierarchy = ["cloudify.nodes.Root"],
        Operations = operations,
        Relationships = relationships ?? [],
        Plugins = [new JsonObject { ["name"] = "script", ["package_name"] = "cloudify-script-plugin", ["executor"] = "central_deployment_agent" }],
        HostId = hostId,
    };

    public static NodeInstance Instance(string id, string nodeId, string? hostId = null, JsonArray? relationships = null, string state = NodeInstanceState.Uninitialized) => new()
    {
        Id = id,
        NodeId = nodeId,
        DeploymentId = DeploymentId,
        TenantName = Tenant,
        CreatedBy = "admin",
        HostId = hostId,
        Relationships = relationships ?? [],
        State = state,
    };

    public static JsonObject Relationship(string type, string targetNode, JsonObject? sourceOps = null, JsonObject? targetOps = null) => new()
    {
        ["type"] = type,
        ["target_id"] = targetNode,
        ["type_hierarchy"] = new JsonArray("cloudify.relationships.depends_on", type),
        ["properties"] = new JsonObject(),
        ["source_operations"] = sourceOps ?? [],
        ["target_operations"] = targetOps ?? [],
    };

    public static JsonObject InstanceRelationship(string type, string targetNode, string targetInstance) => new()
    {
        ["type"] = type,
        ["target_name"] = targetNode,
        ["target_id"] = targetInstance,
    };

    /// <summary>
    /// host (create, start), db (create, configure, start, stop, delete), app (create, configure, start, stop,
    /// delete) contained in host and connected to db with a source preconfigure/unlink and a target establish.
    /// </summary>
    public static (IReadOnlyList<Node> Nodes, IReadOnlyList<NodeInstance> Instances) ThreeTier()
    {
        const string lc = "cloudify.interfaces.lifecycle.";
        const string rl = "cloudify.interfaces.relationship_lifecycle.";
        var host = Node("host", Operations((lc + "create", Script("scripts/host_create.sh")), (lc + "start", Script("scripts/host_start.sh"))));
        var db = Node("db", Operations(
            (lc + "create", Script("scripts/db_create.sh")),
            (lc + "configure", Script("scripts/db_configure.sh")),
            (lc + "start", Script("scripts/db_start.sh")),
            (lc + "stop", Script("scripts/db_stop.sh")),
            (lc + "delete", Script("scripts/db_delete.sh"))));
        var app = Node(
            "app",
            Operations(
                (lc + "create", Script("scripts/app_create.sh")),
                (lc + "configure", Script("scripts/app_configure.sh")),
                (lc + "start", Script("scripts/app_start.sh")),
                (lc + "stop", Script("scripts/app_stop.sh")),
                (lc + "delete", Script("scripts/app_delete.sh"))),
            [
                Relationship("cloudify.relationships.contained_in", "host"),
                Relationship(
                    "cloudify.relationships.connected_to",
                    "db",
                    sourceOps: new JsonObject
                    {
                        [rl + "preconfigure"] = Script("scripts/link_pre.sh"),
                        [rl + "postconfigure"] = NoOp(),
                        [rl + "unlink"] = Script("scripts/unlink.sh"),
                    },
                    targetOps: new JsonObject { [rl + "establish"] = Script("scripts/db_establish.sh") }),
            ],
            hostId: "host");
        var instances = new[]
        {
            Instance("host_1", "host", hostId: "host_1"),
            Instance("db_1", "db"),
            Instance(
                "app_1",
                "app",
                hostId: "host_1",
                relationships:
                [
                    InstanceRelationship("cloudify.relationships.contained_in", "host", "host_1"),
                    InstanceRelationship("cloudify.relationships.connected_to", "db", "db_1"),
                ]),
        };
        return ([host, db, app], instances);
    }

    /// <summary>
    /// The blueprint the <c>cfy</c> local-mode comparisons ran (every operation one script): host (create, start,
    /// stop, delete, check_status), db (create, configure, start, stop, delete, heal, check_status), app contained in
    /// host (create, configure, start, stop, delete, check_status) and connected to db (source preconfigure and unlink,
    /// target establish). Every instance in <paramref name="state"/>.
    /// </summary>
    public static (IReadOnlyList<Node> Nodes, IReadOnlyList<NodeInstance> Instances) Checked(string state = NodeInstanceState.Started)
    {
        const string lc = "cloudify.interfaces.lifecycle.";
        const string rl = "cloudify.interfaces.relationship_lifecycle.";
        const string check = "cloudify.interfaces.validation.check_status";
        static (string, JsonObject) Op(string name) => (name, Script("scripts/op.sh"));
        var host = Node("host", Operations(Op(lc + "create"), Op(lc + "start"), Op(lc + "stop"), Op(lc + "delete"), Op(check)));
        var db = Node("db", Operations(
            Op(lc + "create"), Op(lc + "configure"), Op(lc + "start"), Op(lc + "stop"), Op(lc + "delete"), Op(lc + "heal"), Op(check)));
        var app = Node(
            "app",
            Operations(Op(lc + "create"), Op(lc + "configure"), Op(lc + "start"), Op(lc + "stop"), Op(lc + "delete"), Op(check)),
            [
                Relationship("cloudify.relationships.contained_in", "host"),
                Relationship(
                    "cloudify.relationships.connected_to",
                    "db",
                    sourceOps: new JsonObject { [rl + "preconfigure"] = Script("scripts/op.sh"), [rl + "unlink"] = Script("scripts/op.sh") },
                    targetOps: new JsonObject { [rl + "establish"] = Script("scripts/op.sh") }),
            ]);
        var instances = new[]
        {
            Instance("host_1", "host", state: state),
            Instance("db_1", "db", state: state),
            Instance(
                "app_1",
                "app",
                relationships:
                [
                    InstanceRelationship("cloudify.relationships.contained_in", "host", "host_1"),
                    InstanceRelationship("cloudify.relationships.connected_to", "db", "db_1"),
                ],
                state: state),
        };
        return ([host, db, app], instances);
    }
}
