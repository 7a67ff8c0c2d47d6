using System.Net;
using System.Text.Json.Nodes;
using Stratus.Server.Hosting;
using Stratus.Server.Tests.Support;
using Stratus.Storage.Sqlite;

namespace Stratus.Server.Tests;

/// <summary><c>get_secret</c>: required at deployment creation, read at runtime wherever functions are evaluated.</summary>
public sealed class GetSecretTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        inputs:
          password: {default: {get_secret: db_password}}
        node_types:
          T:
            derived_from: cloudify.nodes.Root
            properties: {password: {}, user: {default: ''}}
        node_templates:
          db:
            type: T
            properties:
              password: {get_input: password}
              user: {get_secret: [creds, user]}
            interfaces:
              cloudify.interfaces.lifecycle:
                create:
                  implementation: scripts/create.sh
                  inputs:
                    pw: {get_secret: db_password}
                    port: {get_secret: [creds, port]}
        outputs:
          pw: {value: {get_secret: db_password}}
          joined: {value: {concat: [{get_secret: [creds, user]}, '@db']}}
        """;

    private const string Script = "#!/bin/bash\nctx instance runtime-properties seen \"$pw:$port\"\n";

    private static async Task UploadAsync(ManagerFixture manager) =>
        await manager.Client.UploadValidAsync(
            "bp", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", Blueprint), new("bp/scripts/create.sh", Script)]));

    private static async Task CreateSecretsAsync(ManagerFixture manager)
    {
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/db_password", new JsonObject { ["value"] = "s3cr3t", ["is_hidden_value"] = true });
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/creds", new JsonObject { ["value"] = """{"user": "admin", "port": 5432}""" });
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> DeployAsync(ManagerFixture manager) =>
        manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/deployments/d", new JsonObject { ["blueprint_id"] = "bp" });

    [Fact]
    public async Task CreateDeployment_Answers400UnknownSecret_NamingEveryMissingOne_AndCreatesNothing()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await UploadAsync(manager);

        var refused = await DeployAsync(manager);

        refused.AssertError(HttpStatusCode.BadRequest, "unknown_deployment_secret_error");
        Assert.Equal("Required secrets: [creds, db_password] don't exist in this tenant", refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await manager.Client.GetJsonAsync("/api/v3.1/deployments/d")).Status);
    }

    [Fact]
    public async Task CreateDeployment_RequiresASecretOfAnInputDefault_OnlyWhenTheDefaultIsUsed()
    {
        const string yaml = """
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            inputs:
              password: {default: {get_secret: db_password}}
            node_templates:
              db:
                type: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create: {implementation: scripts/create.sh, inputs: {pw: {get_input: password}}}
            """;
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync(
            "bp", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml), new("bp/scripts/create.sh", Script)]));

        var withoutInput = await DeployAsync(manager);
        var withInput = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/d", new JsonObject { ["blueprint_id"] = "bp", ["inputs"] = new JsonObject { ["password"] = "given" } });

        withoutInput.AssertError(HttpStatusCode.BadRequest, "unknown_deployment_secret_error");
        Assert.Equal("Required secrets: [db_password] don't exist in this tenant", withoutInput.Body!["message"]!.GetValue<string>());
        Assert.True(withInput.Status == HttpStatusCode.Created, withInput.Body?.ToJsonString());
    }

    [Fact]
    public async Task RestReads_ResolveSecretsAtRuntime_AndAMissingOneIs404()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await UploadAsync(manager);
        await CreateSecretsAsync(manager);
        Assert.Equal(HttpStatusCode.Created, (await DeployAsync(manager)).Status);

        var outputs = await manager.Client.GetJsonAsync("/api/v3.1/deployments/d/outputs");
        var raw = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=d&id=db");
        var evaluated = await manager.Client.GetJsonAsync("/api/v3.1/nodes?deployment_id=d&id=db&_evaluate_functions=true");
        var functions = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "d", ["payload"] = new JsonObject { ["port"] = new JsonObject { ["get_secret"] = new JsonArray("creds", "port") } } });
        var badPath = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/evaluate/functions",
            new JsonObject { ["deployment_id"] = "d", ["payload"] = new JsonObject { ["x"] = new JsonObject { ["get_secret"] = new JsonArray("creds", "nope") } } });
        await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/secrets/db_password");
        var afterDelete = await manager.Client.GetJsonAsync("/api/v3.1/deployments/d/outputs");

        Assert.Equal(new JsonObject { ["pw"] = "s3cr3t", ["joined"] = "admin@db" }.ToJsonString(), outputs.Body!["outputs"]!.ToJsonString());
        Assert.Equal("creds", raw.Body!["items"]![0]!["properties"]!["user"]!["get_secret"]![0]!.GetValue<string>());
        Assert.Equal("admin", evaluated.Body!["items"]![0]!["properties"]!["user"]!.GetValue<string>());
        Assert.Equal("s3cr3t", evaluated.Body!["items"]![0]!["properties"]!["password"]!.GetValue<string>());
        Assert.Equal(5432, functions.Body!["payload"]!["port"]!.GetValue<int>());
        badPath.AssertError(HttpStatusCode.BadRequest, "functions_evaluation_error");
        afterDelete.AssertError(HttpStatusCode.NotFound, "not_found_error");
        Assert.Equal("Requested `Secret` with ID `db_password` was not found", afterDelete.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecutionParameters_KeepGetSecretAsWritten_AndAreCheckedEvaluated()
    {
        await using var manager = await ManagerFixture.StartAsync();
        await UploadAsync(manager);
        await CreateSecretsAsync(manager);
        await DeployAsync(manager);

        var started = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject
            {
                ["deployment_id"] = "d",
                ["workflow_id"] = "install",
                ["allow_custom_parameters"] = true,
                ["parameters"] = new JsonObject { ["creds"] = new JsonObject { ["user"] = new JsonObject { ["get_secret"] = new JsonArray("creds", "user") } } },
            });

        Assert.True(started.Status == HttpStatusCode.Created, started.Body?.ToJsonString());
        Assert.Equal("""{"user":{"get_secret":["creds","user"]}}""", started.Body!["parameters"]!["creds"]!.ToJsonString());
        var shown = await manager.Client.GetJsonAsync($"/api/v3.1/executions/{started.Body!["id"]!.GetValue<string>()}");
        Assert.Equal("""{"user":{"get_secret":["creds","user"]}}""", shown.Body!["parameters"]!["creds"]!.ToJsonString());
        var missing = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject
            {
                ["deployment_id"] = "d",
                ["workflow_id"] = "install",
                ["allow_custom_parameters"] = true,
                ["parameters"] = new JsonObject { ["x"] = new JsonArray(new JsonObject { ["get_secret"] = "nope" }) },
            });
        Assert.True((int)missing.Status is >= 400 and < 500, missing.Body?.ToJsonString());
    }

    [Fact]
    public async Task ExecuteOperation_ReadsASecretParameterAtRunTime_AndNoStoredFileHoldsItsValue()
    {
        const string Value = "p4ram-Secret-Value-9157";
        const string LenBlueprint = """
            tosca_definitions_version: cloudify_dsl_1_4
            imports: [cloudify/types/types.yaml]
            node_templates:
              n:
                type: cloudify.nodes.Root
                interfaces:
                  cloudify.interfaces.lifecycle:
                    create:
                      implementation: scripts/len.sh
                      inputs: {pw: ''}
            """;
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        var (store, watcher) = ExecutionEndWatcher.Wrap(new SqliteStratusStore(Path.Combine(dataDir, "stratus.db"), TimeProvider.System));
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, overrides: new HostOverrides { Store = store, RunEngine = true });
        await manager.Client.UploadValidAsync(
            "bp", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", LenBlueprint), new("bp/scripts/len.sh", "#!/bin/bash\nctx instance runtime-properties pw_len \"${#pw}\"\n")]));
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/param_secret", new JsonObject { ["value"] = Value });
        Assert.Equal(HttpStatusCode.Created, (await DeployAsync(manager)).Status);

        var started = await manager.Client.SendAsync(
            HttpMethod.Post,
            "/api/v3.1/executions",
            new JsonObject
            {
                ["deployment_id"] = "d",
                ["workflow_id"] = "execute_operation",
                ["parameters"] = new JsonObject
                {
                    ["operation"] = "cloudify.interfaces.lifecycle.create",
                    ["operation_kwargs"] = new JsonObject { ["pw"] = new JsonObject { ["get_secret"] = "param_secret" } },
                    ["allow_kwargs_override"] = true,
                },
            });
        Assert.True(started.Status == HttpStatusCode.Created, started.Body?.ToJsonString());
        var id = started.Body!["id"]!.GetValue<string>();
        Assert.Equal("terminated", await watcher.EndOfAsync(id, TimeSpan.FromSeconds(60)));

        var instance = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=d")).Body!["items"]![0]!;
        Assert.Equal(Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), instance["runtime_properties"]!["pw_len"]!.ToString());
        var shown = await manager.Client.GetJsonAsync($"/api/v3.1/executions/{id}");
        Assert.Equal("""{"pw":{"get_secret":"param_secret"}}""", shown.Body!["parameters"]!["operation_kwargs"]!.ToJsonString());
        await manager.App.StopAsync(TestContext.Current.CancellationToken);
        var needle = System.Text.Encoding.UTF8.GetBytes(Value);
        foreach (var file in Directory.EnumerateFiles(dataDir, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{file} holds the secret value in clear");
        }

        Assert.DoesNotContain(Value, manager.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_GivesTheScriptSecretsInItsOperationInputs()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        var (store, watcher) = ExecutionEndWatcher.Wrap(new SqliteStratusStore(Path.Combine(dataDir, "stratus.db"), TimeProvider.System));
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, overrides: new HostOverrides { Store = store, RunEngine = true });
        await UploadAsync(manager);
        await CreateSecretsAsync(manager);
        Assert.Equal(HttpStatusCode.Created, (await DeployAsync(manager)).Status);

        var started = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "d", ["workflow_id"] = "install" });
        var install = started.Body!["id"]!.GetValue<string>();
        Assert.Equal("terminated", await watcher.EndOfAsync(install, TimeSpan.FromSeconds(60)));

        var instance = (await manager.Client.GetJsonAsync("/api/v3.1/node-instances?deployment_id=d")).Body!["items"]![0]!;
        Assert.Equal("s3cr3t:5432", instance["runtime_properties"]!["seen"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", manager.Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_FailsTheOperation_WhenItsSecretIsGone()
    {
        var dataDir = ManagerFixture.NewDataDir();
        Directory.CreateDirectory(dataDir);
        var (store, watcher) = ExecutionEndWatcher.Wrap(new SqliteStratusStore(Path.Combine(dataDir, "stratus.db"), TimeProvider.System));
        await using var manager = await ManagerFixture.StartAsync(dataDir: dataDir, overrides: new HostOverrides { Store = store, RunEngine = true });
        await UploadAsync(manager);
        await CreateSecretsAsync(manager);
        Assert.Equal(HttpStatusCode.Created, (await DeployAsync(manager)).Status);
        await manager.Client.SendAsync(HttpMethod.Delete, "/api/v3.1/secrets/db_password");

        var started = await manager.Client.SendAsync(HttpMethod.Post, "/api/v3.1/executions", new JsonObject { ["deployment_id"] = "d", ["workflow_id"] = "install" });
        var install = started.Body!["id"]!.GetValue<string>();

        Assert.Equal("failed", await watcher.EndOfAsync(install, TimeSpan.FromSeconds(60)));
        var execution = await manager.Client.GetJsonAsync($"/api/v3.1/executions/{install}");
        Assert.Contains("Requested `Secret` with ID `db_password` was not found", execution.Body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretKeyInput_AcceptsOnlyAnExistingSecret()
    {
        const string yaml = """
            tosca_definitions_version: cloudify_dsl_1_5
            imports: [cloudify/types/types.yaml]
            inputs:
              which: {type: secret_key}
            node_templates:
              n: {type: cloudify.nodes.Root}
            """;
        await using var manager = await ManagerFixture.StartAsync();
        await manager.Client.UploadValidAsync("typed", Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]));
        await manager.Client.SendAsync(HttpMethod.Put, "/api/v3.1/secrets/present", new JsonObject { ["value"] = "v" });

        var unknown = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/d1", new JsonObject { ["blueprint_id"] = "typed", ["inputs"] = new JsonObject { ["which"] = "absent" } });
        var known = await manager.Client.SendAsync(
            HttpMethod.Put, "/api/v3.1/deployments/d2", new JsonObject { ["blueprint_id"] = "typed", ["inputs"] = new JsonObject { ["which"] = "present" } });

        unknown.AssertError(HttpStatusCode.BadRequest, "deployment_creation_error");
        Assert.Contains("Value 'absent' of 'which' is not a valid value for data type 'secret_key'.", unknown.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(known.Status == HttpStatusCode.Created, known.Body?.ToJsonString());
    }
}
