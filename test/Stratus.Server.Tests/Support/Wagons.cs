using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Stratus.Server.Tests.Support;

/// <summary>Small wagons (a tar.gz whose top folder holds package.json and a wheel) and cfy's wagon + yaml zip.</summary>
internal static class Wagons
{
    public const string PluginYaml = """
        plugins:
          acme:
            executor: central_deployment_agent
            package_name: acme-plugin
            package_version: '1.2.0'
        node_types:
          acme.nodes.Thing:
            derived_from: cloudify.nodes.Root
            properties:
              size: {default: 1}
            interfaces:
              cloudify.interfaces.lifecycle:
                create: acme.acme_plugin.tasks.create
        blueprint_labels:
          arch:
            values: [docker, k8s]
        resource_tags:
          owner: acme
        """;

    /// <summary>A 1_4 variant with a node type of its own, to see which file an import got.</summary>
    public const string PluginYaml14 = """
        plugins:
          acme:
            executor: central_deployment_agent
            package_name: acme-plugin
            package_version: '1.2.0'
        node_types:
          acme.nodes.Thing:
            derived_from: cloudify.nodes.Root
          acme.nodes.Only14:
            derived_from: cloudify.nodes.Root
        """;

    public static JsonObject Metadata(string name = "acme-plugin", string version = "1.2.0", string distribution = "rhel") => new()
    {
        ["archive_name"] = $"{name.Replace('-', '_')}-{version}-py311-none-manylinux_2_28_x86_64.wgn",
        ["build_server_os_properties"] = new JsonObject
        {
            ["distribution"] = distribution,
            ["distribution_release"] = "ootpa",
            ["distribution_version"] = "8.8",
        },
        ["created_by_wagon_version"] = "1.0.1",
        ["package_name"] = name,
        ["package_source"] = name,
        ["package_version"] = version,
        ["supported_platform"] = "manylinux_2_28_x86_64",
        ["supported_python_versions"] = new JsonArray("py311"),
        ["wheels"] = new JsonArray($"{name.Replace('-', '_')}-{version}-py3-none-any.whl"),
        ["excluded_wheels"] = new JsonArray(),
    };

    public static byte[] Wagon(JsonObject? metadata = null)
    {
        var meta = metadata ?? Metadata();
        var top = "wagon-" + (meta["package_name"]?.GetValue<string>() ?? "x");
        return Archives.TarGz(
        [
            new(top + "/", Kind: EntryKind.Directory),
            new(top + "/wheels/a.whl", "not really a wheel"),
            new(top + "/package.json", meta.ToJsonString()),
        ]);
    }

    /// <summary>What <c>cfy plugins upload WAGON -y YAML...</c> sends: a flat zip of the wagon and the yaml files.</summary>
    public static byte[] Zip(byte[] wagon, params (string Name, string Content)[] yamls)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var stream = zip.CreateEntry("acme.wgn").Open())
            {
                stream.Write(wagon);
            }

            foreach (var (name, content) in yamls)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] StandardZip(JsonObject? metadata = null) => Zip(Wagon(metadata), ("plugin.yaml", PluginYaml));

    /// <summary>A caravan (what <c>cfy plugins bundle-upload</c> sends): a tar.gz of wagons, yaml files and METADATA.</summary>
    public static byte[] Caravan(JsonObject? metadataOverride, params (string Folder, byte[] Wagon, string Yaml)[] plugins)
    {
        var metadata = metadataOverride ?? new JsonObject();
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            void Add(string name, byte[] data) =>
                tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });

            foreach (var (folder, wagon, yaml) in plugins)
            {
                Add($"caravan/{folder}/{folder}.wgn", wagon);
                Add($"caravan/{folder}/plugin.yaml", System.Text.Encoding.UTF8.GetBytes(yaml));
                if (metadataOverride is null)
                {
                    metadata[$"{folder}/{folder}.wgn"] = $"{folder}/plugin.yaml";
                }
            }

            Add("caravan/METADATA", System.Text.Encoding.UTF8.GetBytes(metadata.ToJsonString()));
        }

        return buffer.ToArray();
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> UploadPluginAsync(this HttpClient client, byte[] body, string query = "")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync($"/api/v3.1/plugins{query}", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonNode> UploadValidPluginAsync(this HttpClient client, byte[]? body = null, string query = "")
    {
        var response = await client.UploadPluginAsync(body ?? StandardZip(), query);
        Assert.True(response.Status == HttpStatusCode.Created, $"plugin upload: {(int)response.Status} {response.Body?.ToJsonString()}");
        return response.Body!;
    }

    public static string BlueprintImporting(string import, string type = "acme.nodes.Thing", string dsl = "cloudify_dsl_1_4") => $"""
        tosca_definitions_version: {dsl}
        imports:
          - cloudify/types/types.yaml
          - {import}
        node_templates:
          thing:
            type: {type}
        """;

    public static byte[] BlueprintArchive(string yaml) => Archives.Zip([new("bp/", Kind: EntryKind.Directory), new("bp/blueprint.yaml", yaml)]);
}
